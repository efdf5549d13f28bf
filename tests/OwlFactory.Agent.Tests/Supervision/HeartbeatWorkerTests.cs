using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OwlFactory.Agent.Configuration;
using OwlFactory.Agent.Execution;
using OwlFactory.Agent.Supervision;
using OwlFactory.Agent.Telemetry;
using OwlFactory.Agent.Tests.Platform;

namespace OwlFactory.Agent.Tests.Supervision;

/// <summary>The whole agent loop against a fake platform: heartbeats, assignments, reports, cancel, shutdown.</summary>
public sealed class HeartbeatWorkerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly FakePlatform _platform = new();
    private readonly AgentOptions _options = new()
    {
        ApiUrl = "http://platform.test",
        Token = "agent-token",
        HeartbeatIntervalSeconds = 1,
        LongPollSeconds = 1,
        SimulateGpus = 2,
        TestDurationSeconds = 2,
    };

    private readonly Lock _gate = new();
    private readonly List<string> _assignments = [];
    private readonly List<string> _cancels = [];

    public HeartbeatWorkerTests()
    {
        _platform.Respond = call => call.Path.EndsWith("/heartbeat", StringComparison.Ordinal) ? HeartbeatAnswer() : null;
    }

    public void Dispose() => _platform.Dispose();

    private void Assign(string assignmentJson)
    {
        lock (_gate)
        {
            _assignments.Add(assignmentJson);
        }
    }

    private void CancelTask(string taskId)
    {
        lock (_gate)
        {
            _cancels.Add(JsonSerializer.Serialize(taskId));
        }
    }

    // Like the platform: an assignment is repeated on every heartbeat until the agent has called /start.
    private HttpResponseMessage HeartbeatAnswer()
    {
        string assignments;
        string cancels;
        lock (_gate)
        {
            var started = _platform.Calls.Where(c => c.Path.EndsWith("/start", StringComparison.Ordinal)).Select(c => c.Path.Split('/')[^2]).ToHashSet();
            assignments = string.Join(',', _assignments.Where(a => !started.Contains(JsonDocument.Parse(a).RootElement.GetProperty("task_id").GetString()!)));
            cancels = string.Join(',', _cancels);
        }

        return FakePlatform.Envelope(HttpStatusCode.OK, $$"""{"heartbeat_interval_seconds": 1, "assignments": [{{assignments}}], "cancel": [{{cancels}}]}""");
    }

    private HeartbeatWorker NewWorker()
    {
        var options = Options.Create(_options);
        var api = _platform.CreateClient();
        var supervisor = new TaskSupervisor(new ExecutorCatalog(options), api, options, NullLoggerFactory.Instance);
        var telemetry = new SimulatedTelemetrySource(_options.SimulateGpus, new HostUsageReader(), new Random(1));
        return new HeartbeatWorker(api, supervisor, telemetry, options, NullLogger<HeartbeatWorker>.Instance);
    }

    private async Task WaitForCallAsync(string suffix)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (_platform.CallsTo(suffix).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no call to {suffix} within {Patience}");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task Run_TestAssignment_IsStartedOnceReportedAndCompleted()
    {
        Assign("""{"task_id": "t-1", "task_type": "test", "title": "smoke", "config": {"duration_seconds": 2}, "attempt": 1, "timeout_seconds": 60}""");
        using var worker = NewWorker();

        await worker.StartAsync(CancellationToken.None);
        await WaitForCallAsync("/t-1/complete");
        await worker.StopAsync(CancellationToken.None);

        Assert.Single(_platform.CallsTo("/t-1/start"));
        var progress = _platform.CallsTo("/t-1/progress").Select(c => c.Json.GetProperty("progress").GetDouble()).ToList();
        Assert.NotEmpty(progress);
        Assert.Equal(progress.Order(), progress);
        Assert.NotEmpty(_platform.CallsTo("/t-1/logs"));
        Assert.Empty(_platform.CallsTo("/t-1/fail"));
        var result = _platform.CallsTo("/t-1/complete")[0].Json.GetProperty("result");
        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal(0, result.GetProperty("gpu").GetInt32());

        var heartbeats = _platform.CallsTo("/heartbeat");
        Assert.Equal("?wait=1", heartbeats[0].Query);
        Assert.All(heartbeats, h => Assert.Equal("Bearer agent-token", h.Authorization));
        var first = heartbeats[0].Json;
        Assert.Equal(["test"], first.GetProperty("task_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(2, first.GetProperty("gpus").GetArrayLength());
        Assert.Contains(heartbeats, h => h.Json.GetProperty("running_tasks").EnumerateArray().Any(t => t.GetProperty("task_id").GetString() == "t-1"));
    }

    [Fact]
    public async Task Run_CancelledTask_IsStoppedAndNothingMoreIsReported()
    {
        Assign("""{"task_id": "t-2", "task_type": "test", "config": {"duration_seconds": 60}, "attempt": 1, "timeout_seconds": 600}""");
        using var worker = NewWorker();

        await worker.StartAsync(CancellationToken.None);
        await WaitForCallAsync("/t-2/start");
        CancelTask("t-2");
        var beatsBefore = _platform.CallsTo("/heartbeat").Count;
        // Two more heartbeats: one carries the cancel, a later one shows the task gone.
        var deadline = DateTime.UtcNow + Patience;
        while (_platform.CallsTo("/heartbeat").Count < beatsBefore + 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "no heartbeats after the cancel");
            await Task.Delay(25);
        }

        await Task.Delay(1000);
        await worker.StopAsync(CancellationToken.None);

        Assert.Empty(_platform.CallsTo("/t-2/complete"));
        Assert.Empty(_platform.CallsTo("/t-2/fail"));
        var last = _platform.CallsTo("/heartbeat")[^1].Json;
        Assert.Equal(0, last.GetProperty("running_tasks").GetArrayLength());
    }

    [Fact]
    public async Task StopAsync_RunningTask_IsKilledAndReportedFailedQuickly()
    {
        Assign("""{"task_id": "t-3", "task_type": "test", "config": {"duration_seconds": 120}, "attempt": 1, "timeout_seconds": 600}""");
        using var worker = NewWorker();
        await worker.StartAsync(CancellationToken.None);
        await WaitForCallAsync("/t-3/start");

        var watch = Stopwatch.StartNew();
        await worker.StopAsync(CancellationToken.None);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"shutdown took {watch.Elapsed}");
        var fail = Assert.Single(_platform.CallsTo("/t-3/fail"));
        Assert.Equal(TaskSupervisor.ShutdownMessage, fail.Json.GetProperty("error_message").GetString());
    }

    [Fact]
    public async Task Run_UnknownTaskType_IsStartedAndFailedWithAReason()
    {
        Assign("""{"task_id": "t-4", "task_type": "training", "config": {}, "attempt": 1, "timeout_seconds": 60}""");
        using var worker = NewWorker();

        await worker.StartAsync(CancellationToken.None);
        await WaitForCallAsync("/t-4/fail");
        await worker.StopAsync(CancellationToken.None);

        Assert.Single(_platform.CallsTo("/t-4/start"));
        Assert.Contains("training", _platform.CallsTo("/t-4/fail")[0].Json.GetProperty("error_message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PlatformDown_KeepsRetryingAndRecovers()
    {
        var down = 2;
        _platform.Respond = call => call.Path.EndsWith("/heartbeat", StringComparison.Ordinal)
            ? (Interlocked.Decrement(ref down) >= 0 ? throw new HttpRequestException("Connection refused") : HeartbeatAnswer())
            : null;
        Assign("""{"task_id": "t-5", "task_type": "test", "config": {"duration_seconds": 0.2}, "attempt": 1, "timeout_seconds": 60}""");
        using var worker = NewWorker();

        await worker.StartAsync(CancellationToken.None);
        await WaitForCallAsync("/t-5/complete");
        await worker.StopAsync(CancellationToken.None);

        Assert.True(_platform.CallsTo("/heartbeat").Count >= 3);
    }
}
