using Microsoft.Extensions.Options;
using OwlFactory.Agent.Configuration;
using OwlFactory.Agent.Platform;
using OwlFactory.Agent.Telemetry;

namespace OwlFactory.Agent.Supervision;

/// <summary>
/// The agent's main loop: a heartbeat with telemetry and running tasks, long-polling (<c>?wait=</c>) while a slot
/// is free and plain at the platform's interval otherwise; each answer's cancels and assignments go to the
/// <see cref="TaskSupervisor"/>. Failures back off exponentially (capped at 30 s, with jitter) and never stop it.
/// </summary>
internal sealed partial class HeartbeatWorker : BackgroundService
{
    private static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(8);
    private readonly AgentApiClient _api;
    private readonly TaskSupervisor _supervisor;
    private readonly ITelemetrySource _telemetry;
    private readonly ILogger<HeartbeatWorker> _logger;
    private readonly AgentOptions _options;
    private readonly RetryBackoff _backoff = new();

    public HeartbeatWorker(
        AgentApiClient api,
        TaskSupervisor supervisor,
        ITelemetrySource telemetry,
        IOptions<AgentOptions> options,
        ILogger<HeartbeatWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _api = api;
        _supervisor = supervisor;
        _telemetry = telemetry;
        _options = options.Value;
        _logger = logger;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _supervisor.ShutdownAsync(ShutdownBudget);
        LogStopped();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var first = await _telemetry.SampleAsync(new HashSet<int>(), stoppingToken);
        _supervisor.UseGpus(first.Gpus.Select(g => g.Index));
        LogStarting(AgentInfo.Version, _options.ApiUrl, _supervisor.TaskTypes, first.Gpus.Count, _options.SimulateGpus > 0);

        var interval = TimeSpan.FromSeconds(_options.HeartbeatIntervalSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                interval = await BeatAsync(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: StopAsync takes it from here.
        }
    }

    /// <summary>One heartbeat and what follows it; returns the heartbeat interval now in force.</summary>
    private async Task<TimeSpan> BeatAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        var wait = _supervisor.HasFreeSlot ? _options.LongPollSeconds : 0;
        var sentAt = DateTime.UtcNow;
        ApiCallResult call;
        HeartbeatResponse? response;
        try
        {
            (call, response) = await SendHeartbeatAsync(wait, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or a local fault (telemetry, serialization): the agent keeps beating rather than die.
            LogHeartbeatCrashed(ex);
            (call, response) = (new ApiCallResult(ApiCallStatus.Unavailable, null, ex.Message), null);
        }

        if (call.Status != ApiCallStatus.Ok || response is null)
        {
            await BackOffAsync(call, stoppingToken);
            return interval;
        }

        if (_backoff.Failures > 0)
        {
            LogReconnected(_backoff.Failures);
            _backoff.Reset();
        }

        if (response.HeartbeatIntervalSeconds is { } seconds && seconds >= 1)
        {
            interval = TimeSpan.FromSeconds(Math.Min(seconds, 300));
        }

        // A new task may leave a slot free: ask again at once, holding the call for more work.
        if (_supervisor.Apply(response) > 0 && _supervisor.HasFreeSlot)
        {
            return interval;
        }

        // Next heartbeat one interval after this one was sent (a long poll that was held has used it up), or as
        // soon as a task ends and frees a slot.
        var remaining = interval - (DateTime.UtcNow - sentAt);
        if (remaining > TimeSpan.Zero)
        {
            await _supervisor.SlotFreed.WaitAsync(remaining, stoppingToken);
        }

        return interval;
    }

    private async Task<(ApiCallResult Call, HeartbeatResponse? Response)> SendHeartbeatAsync(int wait, CancellationToken ct)
    {
        var telemetry = await _telemetry.SampleAsync(_supervisor.BusyGpus(), ct);
        _supervisor.UseGpus(telemetry.Gpus.Select(g => g.Index));
        var request = HeartbeatRequest.Create(AgentInfo.Version, _supervisor.TaskTypes, telemetry, _supervisor.RunningTasks());
        return await _api.HeartbeatAsync(request, wait, ct);
    }

    private async Task BackOffAsync(ApiCallResult call, CancellationToken ct)
    {
        var delay = _backoff.NextDelay();
        if (call.Status == ApiCallStatus.Unauthorized)
        {
            LogUnauthorized(call.HttpStatus ?? 0, delay.TotalSeconds);
        }
        else
        {
            LogHeartbeatFailed(call, _backoff.Failures, delay.TotalSeconds);
        }

        await Task.Delay(delay, ct);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Owl agent {Version} for {ApiUrl}: task types {TaskTypes}, {GpuCount} GPU(s) (simulated: {Simulated})")]
    private partial void LogStarting(string version, string apiUrl, IReadOnlyList<string> taskTypes, int gpuCount, bool simulated);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "HEARTBEAT REFUSED (HTTP {HttpStatus}): the agent token is wrong or was rotated. Fix 'token' in the agent's config (or OWL_AGENT_TOKEN); retrying in {DelaySeconds:0.0} s")]
    private partial void LogUnauthorized(int httpStatus, double delaySeconds);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Heartbeat failed: {Result}; attempt {Attempt}, retrying in {DelaySeconds:0.0} s")]
    private partial void LogHeartbeatFailed(ApiCallResult result, int attempt, double delaySeconds);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Heartbeat delivered again after {Failures} failed attempt(s)")]
    private partial void LogReconnected(int failures);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Heartbeat could not be prepared")]
    private partial void LogHeartbeatCrashed(Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Agent stopped")]
    private partial void LogStopped();
}
