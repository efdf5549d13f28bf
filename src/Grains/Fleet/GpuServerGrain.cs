using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Streams;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Fleet;
using OwlFactory.Grains.Admin;

namespace OwlFactory.Grains.Fleet;

[ImplicitStreamSubscription(FleetStreams.Telemetry)]
public sealed partial class GpuServerGrain(
    GpuServerStore store,
    IOptions<FleetSettings> options,
    SystemConfigCache config,
    TimeProvider clock,
    ILogger<GpuServerGrain> logger) : Grain, IGpuServerGrain, IRemindable
{
    private const string LivenessReminder = "liveness";

    private readonly Queue<GpuTelemetry> _history = new();
    private GpuServerState? _state;
    private GpuTelemetry? _latest;
    private bool _suspect;

    private Guid Id => this.GetPrimaryKey();

    private FleetSettings Settings => options.Value;

    /// <summary>The live config's heartbeat_timeout_seconds, never below two intervals (one late beat must not count).</summary>
    private TimeSpan HeartbeatTimeout => TimeSpan.FromSeconds(Math.Max(config.Current.HeartbeatTimeoutSeconds, 2 * Settings.HeartbeatIntervalSeconds + 1));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = await store.LoadAsync(Id);
        var stream = this.GetStreamProvider(OwlConstants.StreamProvider)
            .GetStream<GpuTelemetry>(StreamId.Create(FleetStreams.Telemetry, Id));
        await stream.SubscribeAsync((sample, _) => OnTelemetryAsync(sample));
        if (_state is not null)
        {
            StartLivenessTimer();
        }
    }

    public async Task<ServerWriteStatus> CreateAsync(ServerSpec spec, string tokenHash)
    {
        if (_state is not null)
        {
            return ServerWriteStatus.AlreadyExists;
        }

        var now = Now();
        var state = new GpuServerState
        {
            TokenHash = tokenHash,
            Status = ServerStatus.Offline,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Apply(state, spec);
        var result = await store.InsertAsync(Id, state);
        if (result != ServerWriteStatus.Ok)
        {
            return result;
        }

        _state = state;
        // A durable nudge: after a silo crash the reminder reactivates this grain, whose timer then notices a silent agent.
        await this.RegisterOrUpdateReminder(LivenessReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        StartLivenessTimer();
        Report();
        return ServerWriteStatus.Ok;
    }

    public async Task<ServerWriteStatus> UpdateAsync(ServerSpec spec, bool? maintenance)
    {
        if (_state is null)
        {
            return ServerWriteStatus.NotFound;
        }

        var next = _state.Copy();
        Apply(next, spec);
        next.Maintenance = maintenance ?? next.Maintenance;
        next.Status = DeriveStatus(next);
        next.UpdatedAt = Now();
        var result = await WriteAsync(next);
        if (result == ServerWriteStatus.Ok)
        {
            Report();
        }

        return result;
    }

    public async Task<ServerWriteStatus> DeleteAsync()
    {
        if (_state is null)
        {
            return ServerWriteStatus.NotFound;
        }

        if (CurrentTasks > 0)
        {
            return ServerWriteStatus.RunsTasks;
        }

        var next = _state.Copy();
        next.DeletedAt = next.UpdatedAt = Now();
        await WriteAsync(next);
        _state = null;
        await GrainFactory.GetGrain<IFleetDirectoryGrain>(0).RemoveAsync(Id);
        if (await this.GetReminder(LivenessReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        DeactivateOnIdle();
        return ServerWriteStatus.Ok;
    }

    public async Task<bool> RotateTokenAsync(string tokenHash)
    {
        if (_state is null)
        {
            return false;
        }

        var next = _state.Copy();
        next.TokenHash = tokenHash;
        next.UpdatedAt = Now();
        await WriteAsync(next);
        return true;
    }

    public Task<bool> AuthenticateAsync(string tokenHash)
        => Task.FromResult(_state is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(_state.TokenHash), System.Text.Encoding.ASCII.GetBytes(tokenHash)));

    public Task<ServerSummary?> GetSummaryAsync() => Task.FromResult(_state is null ? null : Summary());

    public Task<ServerLiveStatus?> GetLiveStatusAsync()
        => Task.FromResult(_state is null
            ? null
            : new ServerLiveStatus(Id, DeriveStatus(_state), _latest?.CpuUsage ?? 0, _latest?.MemoryUsage ?? 0,
                _latest?.Gpus ?? [], _latest?.RunningTasks ?? [], _latest?.Timestamp));

    public Task<ImmutableArray<GpuTelemetry>> GetHistoryAsync(int minutes)
    {
        var since = Now().AddMinutes(-minutes);
        return Task.FromResult(_history.Where(s => s.Timestamp >= since).ToImmutableArray());
    }

    public async Task<HeartbeatReply> PollAsync(TimeSpan wait)
    {
        var interval = TimeSpan.FromSeconds(Settings.HeartbeatIntervalSeconds);
        var hold = wait < interval ? wait : interval;
        if (hold > TimeSpan.Zero && _state is { Maintenance: false })
        {
            // No work source feeds servers yet (tasks come with the scheduler), so the poll simply waits out its time.
            await Task.Delay(hold, clock);
        }

        return new HeartbeatReply(Settings.HeartbeatIntervalSeconds, [], []);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private async Task OnTelemetryAsync(GpuTelemetry sample)
    {
        // Idempotent: a sample that is not newer than the latest one (a redelivery) changes nothing.
        if (_state is null || (_latest is not null && sample.Timestamp <= _latest.Timestamp))
        {
            return;
        }

        _latest = sample;
        _suspect = false;
        _history.Enqueue(sample);
        var horizon = sample.Timestamp.AddMinutes(-Settings.HistoryMinutes);
        while (_history.Peek().Timestamp < horizon)
        {
            _history.Dequeue();
        }

        await PersistStatusChangeAsync();
        Report();
    }

    /// <summary>The timer's check: notes a suspect after one missed interval, and settles the status (offline after the timeout).</summary>
    private async Task CheckLivenessAsync()
    {
        if (_state is null)
        {
            return;
        }

        var silence = Now() - (_latest?.Timestamp ?? _state.LastHeartbeat ?? _state.CreatedAt);
        if (silence > TimeSpan.FromSeconds(Settings.HeartbeatIntervalSeconds * 2) && silence <= HeartbeatTimeout && !_suspect && _latest is not null)
        {
            // One missed heartbeat is noted, nothing more: a single late packet must not move tasks around.
            _suspect = true;
            LogSuspect(Id, (int)silence.TotalSeconds);
        }

        if (await PersistStatusChangeAsync())
        {
            Report();
        }
    }

    /// <summary>Writes the row when the derived status differs from the stored one; status changes are all that is persisted.</summary>
    private async Task<bool> PersistStatusChangeAsync()
    {
        var status = DeriveStatus(_state!);
        if (status == _state!.Status)
        {
            return false;
        }

        var next = _state.Copy();
        next.Status = status;
        next.LastHeartbeat = _latest?.Timestamp ?? _state.LastHeartbeat;
        await WriteAsync(next);
        LogStatusChanged(Id, status);
        return true;
    }

    private string DeriveStatus(GpuServerState state) => state switch
    {
        { Maintenance: true } => ServerStatus.Maintenance,
        _ when _latest is null || Now() - _latest.Timestamp > HeartbeatTimeout => ServerStatus.Offline,
        _ when CurrentTasks >= state.MaxConcurrentTasks => ServerStatus.Busy,
        _ => ServerStatus.Online,
    };

    private int CurrentTasks => _latest?.RunningTasks.Length ?? 0;

    private ServerSummary Summary()
    {
        var s = _state!;
        var gpus = _latest?.Gpus ?? [];
        return new ServerSummary(Id, s.Name, s.Host, DeriveStatus(s), CurrentTasks, s.MaxConcurrentTasks, s.TotalMemory,
            _latest?.UsedMemory ?? 0, s.GpuCount, _latest?.CpuUsage ?? 0, _latest?.MemoryUsage ?? 0,
            _latest?.AverageGpuUsage ?? 0, Math.Min(CurrentTasks, s.GpuCount), _latest?.Timestamp ?? s.LastHeartbeat,
            s.Description, s.CreatedAt, s.UpdatedAt);
    }

    private void Report() => GrainFactory.GetGrain<IFleetDirectoryGrain>(0).ReportAsync(Summary()).Ignore();

    private void StartLivenessTimer()
        => this.RegisterGrainTimer(CheckLivenessAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.FromSeconds(1),
            Period = TimeSpan.FromSeconds(Math.Max(1, Settings.HeartbeatIntervalSeconds / 2.0)),
            KeepAlive = true,
        });

    private async Task<ServerWriteStatus> WriteAsync(GpuServerState next)
    {
        var result = await this.WriteOrReloadAsync(() => store.UpdateAsync(Id, next));
        if (result == ServerWriteStatus.Ok)
        {
            _state = next;
        }

        return result;
    }

    private static void Apply(GpuServerState state, ServerSpec spec)
    {
        state.Name = spec.Name.Trim();
        state.Host = spec.Host.Trim();
        state.GpuCount = spec.GpuCount;
        state.MaxConcurrentTasks = spec.MaxConcurrentTasks;
        state.TotalMemory = spec.TotalMemory;
        state.Description = spec.Description;
    }

    private DateTime Now() => clock.UtcNowMilliseconds();

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "GPU server {ServerId} is now {Status}")]
    private partial void LogStatusChanged(Guid serverId, string status);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "GPU server {ServerId} is suspect: no heartbeat for {Seconds} s")]
    private partial void LogSuspect(Guid serverId, int seconds);
}
