using OwlFactory.Agent.Execution;
using OwlFactory.Agent.Platform;

namespace OwlFactory.Agent.Tests.Platform;

public sealed class PendingLogLinesTests
{
    [Fact]
    public void TakeBatch_LinesPastCapacity_AreCountedAndReported()
    {
        var pending = new PendingLogLines(capacity: 3);
        for (var i = 0; i < 5; i++)
        {
            pending.Add(new TaskLogLine(DateTime.UtcNow, TaskLogLevel.Info, $"l{i}"));
        }

        var batch = pending.TakeBatch();

        Assert.Equal(["agent dropped 2 log lines while the platform could not be reached", "l0", "l1", "l2"], batch.Select(b => b.Message));
        Assert.Equal("WARN", batch[0].Level);
        Assert.True(pending.IsEmpty);
    }

    [Fact]
    public void TakeBatch_HugeLines_StaysUnderTheBodyLimit()
    {
        var pending = new PendingLogLines(capacity: 1000);
        for (var i = 0; i < 200; i++)
        {
            pending.Add(new TaskLogLine(DateTime.UtcNow, TaskLogLevel.Info, new string('x', 16 * 1024)));
        }

        var first = pending.TakeBatch();

        Assert.InRange(first.Count, 1, 199);
        Assert.True(first.Sum(l => l.Message.Length) <= PendingLogLines.MaxBytesPerBatch);
        Assert.Equal(200 - first.Count, pending.Count);
    }

    [Fact]
    public void Add_PastTheCharacterBound_DropsLinesUntilSpaceIsFreed()
    {
        var pending = new PendingLogLines(capacity: 1000, maxPendingChars: 25);
        pending.Add(new TaskLogLine(DateTime.UtcNow, TaskLogLevel.Info, new string('a', 10)));
        pending.Add(new TaskLogLine(DateTime.UtcNow, TaskLogLevel.Info, new string('b', 10)));
        pending.Add(new TaskLogLine(DateTime.UtcNow, TaskLogLevel.Info, new string('c', 10)));

        var batch = pending.TakeBatch();
        pending.Add(new TaskLogLine(DateTime.UtcNow, TaskLogLevel.Info, new string('d', 10)));

        Assert.Equal(3, batch.Count); // the drop notice, a…, b…
        Assert.StartsWith("agent dropped 1 log lines", batch[0].Message, StringComparison.Ordinal);
        Assert.Equal(new string('d', 10), pending.TakeBatch().Single().Message);
    }
}
