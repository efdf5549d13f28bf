using System.Diagnostics;
using OwlFactory.Agent.Execution;

namespace OwlFactory.Agent.Tests.Execution;

public sealed class BuiltInTestExecutionTests
{
    [Fact]
    public async Task RunAsync_DefaultConfig_CountsToHundredAndCompletes()
    {
        var observer = new RecordingObserver();
        var watch = Stopwatch.StartNew();

        var outcome = await new BuiltInTestExecution(new TaskLaunch("t1", "test", 1, "{}", 0), TimeSpan.FromMilliseconds(500))
            .RunAsync(observer, CancellationToken.None);

        Assert.Equal(TaskOutcomeKind.Completed, outcome.Kind);
        Assert.Equal(1, observer.Started);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10.0), observer.Progress);
        Assert.True(observer.Logs.Count >= 3);
        Assert.True(outcome.Result!["ok"]!.GetValue<bool>());
        Assert.Equal(0, outcome.Result["gpu"]!.GetValue<int>());
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(400), $"took only {watch.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_ConfigDurationAndFail_FailsHalfwayWithoutReachingHundred()
    {
        var observer = new RecordingObserver();

        var outcome = await new BuiltInTestExecution(new TaskLaunch("t2", "test", 1, """{"duration_seconds": 0.2, "fail": true}""", null), TimeSpan.FromMinutes(5))
            .RunAsync(observer, CancellationToken.None);

        Assert.Equal(TaskOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("on purpose", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.True(observer.Progress[^1] < 100);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsAndReportsCancelled()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var outcome = await new BuiltInTestExecution(new TaskLaunch("t3", "test", 1, "{}", 0), TimeSpan.FromSeconds(30))
            .RunAsync(new RecordingObserver(), cancel.Token);

        Assert.Equal(TaskOutcomeKind.Cancelled, outcome.Kind);
    }
}
