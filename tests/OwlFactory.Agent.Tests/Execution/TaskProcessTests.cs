using System.Diagnostics;
using OwlFactory.Agent.Execution;

namespace OwlFactory.Agent.Tests.Execution;

public sealed class TaskProcessTests : IDisposable
{
    private readonly ScriptDirectory _scripts = new();

    public void Dispose() => _scripts.Dispose();

    private static TaskLaunch Launch(string config = "{}", int? gpu = 0) => new("task-1", "video_analysis", 2, config, gpu);

    [Fact]
    public async Task RunAsync_ScriptReportingProgressAndResult_CompletesWithEverythingReported()
    {
        var command = _scripts.Write("ok", """
            echo "loading model"
            echo "OWL_PROGRESS 10"
            echo "OWL_PROGRESS 50"
            echo "OWL_PROGRESS 30"
            echo "frame 1 of 3"
            echo "OWL_PROGRESS 100"
            echo 'OWL_RESULT {"ok":true,"n":3}'
            echo "bye"
            exit 0
            """);
        var observer = new RecordingObserver();

        var outcome = await new TaskProcess(command, Launch()).RunAsync(observer, CancellationToken.None);

        Assert.Equal(TaskOutcomeKind.Completed, outcome.Kind);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(1, observer.Started);
        Assert.Equal([10.0, 50.0, 100.0], observer.Progress); // 30 went backwards: not reported
        Assert.Equal(["loading model", "frame 1 of 3", "bye"], observer.Logs.Select(l => l.Message));
        Assert.All(observer.Logs, l => Assert.Equal(TaskLogLevel.Info, l.Level));
        Assert.All(observer.Logs, l => Assert.Equal(DateTimeKind.Utc, l.Timestamp.Kind));
        Assert.NotNull(outcome.Result);
        Assert.True(outcome.Result["ok"]!.GetValue<bool>());
        Assert.Equal(3, outcome.Result["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task RunAsync_ScriptWritingStderrAndExitingThree_FailsWithExitCodeAndStderrLines()
    {
        var command = _scripts.Write("fail", """
            echo "starting"
            echo "warming up" >&2
            echo "CUDA error: out of memory" >&2
            exit 3
            """);
        var observer = new RecordingObserver();

        var outcome = await new TaskProcess(command, Launch()).RunAsync(observer, CancellationToken.None);

        Assert.Equal(TaskOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal("exit code 3:\nwarming up\nCUDA error: out of memory", outcome.ErrorMessage);
        Assert.Contains(observer.Logs, l => l.Level == TaskLogLevel.Error && l.Message == "CUDA error: out of memory");
        Assert.Contains(observer.Logs, l => l.Level == TaskLogLevel.Info && l.Message == "starting");
    }

    [Fact]
    public async Task RunAsync_ManyStderrLines_KeepsOnlyTheLastTwenty()
    {
        var command = _scripts.Write("noisy", """
            for i in $(seq 1 50); do echo "err $i" >&2; done
            exit 1
            """);

        var outcome = await new TaskProcess(command, Launch()).RunAsync(new RecordingObserver(), CancellationToken.None);

        var lines = outcome.ErrorMessage!.Split('\n');
        Assert.Equal("exit code 1:", lines[0]);
        Assert.Equal(Enumerable.Range(31, 20).Select(i => $"err {i}"), lines[1..]);
    }

    [Fact]
    public async Task RunAsync_ScriptEchoingItsConfig_GetsConfigOnStdinAndInEnvironment()
    {
        var command = _scripts.Write("config", """
            stdin=$(cat)
            name=$(printf '%s' "$stdin" | sed -E 's/.*"video":"([^"]*)".*/\1/')
            same=no
            if [ "$stdin" = "$OWL_TASK_CONFIG" ]; then same=yes; fi
            echo "OWL_RESULT {\"video\":\"$name\",\"same\":\"$same\",\"id\":\"$OWL_TASK_ID\",\"type\":\"$OWL_TASK_TYPE\",\"attempt\":\"$OWL_TASK_ATTEMPT\"}"
            """);

        var outcome = await new TaskProcess(command, Launch("""{"video":"cat.mp4","fps":30}""")).RunAsync(new RecordingObserver(), CancellationToken.None);

        Assert.Equal(TaskOutcomeKind.Completed, outcome.Kind);
        var result = outcome.Result!;
        Assert.Equal("cat.mp4", (string?)result["video"]);
        Assert.Equal("yes", (string?)result["same"]);
        Assert.Equal("task-1", (string?)result["id"]);
        Assert.Equal("video_analysis", (string?)result["type"]);
        Assert.Equal("2", (string?)result["attempt"]);
    }

    [Theory]
    [InlineData(3, "3")]
    [InlineData(null, "")]
    public async Task RunAsync_GivenGpu_SetsCudaVisibleDevices(int? gpu, string expected)
    {
        var command = _scripts.Write("cuda", """
            echo "OWL_RESULT {\"cuda\":\"${CUDA_VISIBLE_DEVICES-unset}\"}"
            """);

        var outcome = await new TaskProcess(command, Launch(gpu: gpu)).RunAsync(new RecordingObserver(), CancellationToken.None);

        Assert.Equal(expected, (string?)outcome.Result!["cuda"]);
    }

    [Fact]
    public async Task RunAsync_ExecutorEnvironmentAndAgentSecrets_PassesOneAndHidesTheOther()
    {
        var command = _scripts.Write(
            "env",
            """
            echo "OWL_RESULT {\"model\":\"$MODEL_DIR\",\"token\":\"${OWL_AGENT_TEST_SECRET-hidden}\"}"
            """,
            new Dictionary<string, string> { ["MODEL_DIR"] = "/opt/models" });

        TaskOutcome outcome;
        Environment.SetEnvironmentVariable("OWL_AGENT_TEST_SECRET", "secret-for-test");
        try
        {
            outcome = await new TaskProcess(command, Launch()).RunAsync(new RecordingObserver(), CancellationToken.None);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OWL_AGENT_TEST_SECRET", null);
        }

        Assert.Equal("/opt/models", (string?)outcome.Result!["model"]);
        Assert.Equal("hidden", (string?)outcome.Result!["token"]);
    }

    [Fact]
    public async Task RunAsync_ExitZeroWithoutResult_CompletesWithEmptyObject()
    {
        var command = _scripts.Write("plain", "echo 'OWL_RESULT not json'\nexit 0\n");
        var observer = new RecordingObserver();

        var outcome = await new TaskProcess(command, Launch()).RunAsync(observer, CancellationToken.None);

        Assert.Equal(TaskOutcomeKind.Completed, outcome.Kind);
        Assert.Empty(outcome.Result!);
        Assert.Contains(observer.Logs, l => l.Level == TaskLogLevel.Error && l.Message.StartsWith("invalid OWL_RESULT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_CancelledLongSleep_KillsTheProcessTreePromptly()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"owl-sleep-{Guid.NewGuid():N}.pid");
        var command = _scripts.Write("sleep", $"""
            echo "OWL_PROGRESS 5"
            sleep 60 &
            echo $! > {pidFile}
            wait
            """);
        var observer = new RecordingObserver();
        using var cancel = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();

        var run = new TaskProcess(command, Launch()).RunAsync(observer, cancel.Token);
        await WaitUntilAsync(() => observer.Progress.Count > 0 && File.Exists(pidFile));
        await cancel.CancelAsync();
        var outcome = await run;

        Assert.Equal(TaskOutcomeKind.Cancelled, outcome.Kind);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        var sleepPid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        File.Delete(pidFile);
        await WaitUntilAsync(() => !IsAlive(sleepPid));
    }

    [Fact]
    public async Task RunAsync_PastTimeout_IsKilledAndTimesOut()
    {
        var command = _scripts.Write("slow", "sleep 60\n");
        var watch = Stopwatch.StartNew();

        var outcome = await TaskRunner.RunAsync(
            new TaskProcess(command, Launch()), new RecordingObserver(), TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(TaskOutcomeKind.TimedOut, outcome.Kind);
        Assert.Equal("timed out after 1 s", outcome.ErrorMessage);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_MissingCommand_FailsWithoutStarting()
    {
        var command = new ExecutorCommand("/nonexistent/owl-executor", [], null, new Dictionary<string, string>());
        var observer = new RecordingObserver();

        var outcome = await new TaskProcess(command, Launch()).RunAsync(observer, CancellationToken.None);

        Assert.Equal(TaskOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("/nonexistent/owl-executor", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, observer.Started);
    }

    private static bool IsAlive(int pid)
    {
        // A killed child that nobody reaped yet is a zombie: dead for our purpose.
        var status = $"/proc/{pid}/status";
        return File.Exists(status) && !File.ReadAllText(status).Contains("State:\tZ", StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(20);
        }
    }
}
