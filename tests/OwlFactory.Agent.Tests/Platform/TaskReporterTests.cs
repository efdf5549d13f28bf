using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using OwlFactory.Agent.Execution;
using OwlFactory.Agent.Platform;

namespace OwlFactory.Agent.Tests.Platform;

public sealed class TaskReporterTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly FakePlatform _platform = new();

    public void Dispose() => _platform.Dispose();

    private TaskReporter NewReporter(Action<string>? onGone = null) => new(
        "task-1",
        _platform.CreateClient(),
        NullLogger.Instance,
        onGone ?? (_ => { }),
        () => new RetryBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40)));

    private static TaskLogLine Line(string message, TaskLogLevel level = TaskLogLevel.Info) => new(DateTime.UtcNow, level, message);

    [Fact]
    public async Task Run_ApiDownThenBack_DeliversEverythingInOrder()
    {
        var failures = 0;
        _platform.Respond = _ => Interlocked.Increment(ref failures) <= 4
            ? FakePlatform.Envelope(HttpStatusCode.ServiceUnavailable, "null", "SERVER_UNAVAILABLE")
            : null;
        using var reporter = NewReporter();
        reporter.Run();

        reporter.MarkStarted();
        reporter.AddLog(Line("one"));
        reporter.AddLog(Line("two", TaskLogLevel.Error));
        reporter.SetProgress(50);
        reporter.Complete(new JsonObject { ["ok"] = true });
        await reporter.Completion.WaitAsync(Patience);

        var calls = _platform.Calls;
        Assert.True(calls.Count > 4, "the failed calls were retried");
        var delivered = calls.Skip(4).Select(c => c.Path.Split('/')[^1]).ToList();
        Assert.Equal(["start", "logs", "complete"], delivered);
        var lines = calls[^2].Json.GetProperty("lines");
        Assert.Equal(["one", "two"], lines.EnumerateArray().Select(l => l.GetProperty("message").GetString()));
        Assert.Equal(["INFO", "ERROR"], lines.EnumerateArray().Select(l => l.GetProperty("level").GetString()));
        Assert.True(calls[^1].Json.GetProperty("result").GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Run_ConflictOnLogs_AbandonsTaskAndSaysItIsGone()
    {
        _platform.Respond = c => c.Path.EndsWith("/logs", StringComparison.Ordinal)
            ? FakePlatform.Envelope(HttpStatusCode.Conflict, "null", "INVALID_STATE")
            : null;
        var gone = new TaskCompletionSource<string>();
        using var reporter = NewReporter(id => gone.TrySetResult(id));
        reporter.Run();

        reporter.MarkStarted();
        reporter.AddLog(Line("hello"));
        reporter.Fail("exit code 1");

        Assert.Equal("task-1", await gone.Task.WaitAsync(Patience));
        await reporter.Completion.WaitAsync(Patience);
        Assert.Empty(_platform.CallsTo("/fail"));
    }

    [Fact]
    public async Task Run_ManyLogLines_SendsBatchesOfAtMostAThousandInOrder()
    {
        using var reporter = NewReporter();
        for (var i = 0; i < 2500; i++)
        {
            reporter.AddLog(Line($"line {i}"));
        }

        reporter.Run();
        reporter.Complete([]);
        await reporter.Completion.WaitAsync(Patience);

        var batches = _platform.CallsTo("/logs").Select(c => c.Json.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("message").GetString()!).ToList()).ToList();
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 1000));
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => $"line {i}"), batches.SelectMany(b => b));
        Assert.Equal("start", _platform.Calls[0].Path.Split('/')[^1]);
        Assert.Equal("complete", _platform.Calls[^1].Path.Split('/')[^1]);
    }

    [Fact]
    public async Task Run_RapidProgress_IsCoalescedToAboutTwoCallsASecond()
    {
        using var reporter = NewReporter();
        reporter.Run();
        reporter.MarkStarted();
        for (var p = 1; p <= 60; p++)
        {
            reporter.SetProgress(p);
            await Task.Delay(25);
        }

        // The last value goes out within half a second of the one before it.
        await Task.Delay(1200);
        reporter.Complete([]);
        await reporter.Completion.WaitAsync(Patience);

        var sent = _platform.CallsTo("/progress").Select(c => c.Json.GetProperty("progress").GetDouble()).ToList();
        Assert.InRange(sent.Count, 2, 8);
        Assert.Equal(sent.Order(), sent);
        Assert.Equal(60, sent[^1]);
    }

    [Fact]
    public async Task FlushOnceAsync_AfterStop_TriesStartAndFinalReportOnce()
    {
        _platform.Respond = c => c.Path.EndsWith("/fail", StringComparison.Ordinal)
            ? FakePlatform.Envelope(HttpStatusCode.ServiceUnavailable, "null", "DOWN")
            : null;
        using var reporter = NewReporter();
        reporter.Run();
        await reporter.StopAsync();

        reporter.MarkStarted();
        reporter.Fail("agent shutting down");
        await reporter.FlushOnceAsync(CancellationToken.None);

        Assert.Equal(["start", "fail"], _platform.Calls.Select(c => c.Path.Split('/')[^1]));
        Assert.Equal("agent shutting down", _platform.Calls[1].Json.GetProperty("error_message").GetString());
    }
}
