using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Streams;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Fleet;
using OwlFactory.GrainInterfaces.Tasks;
using OwlFactory.Grains.Admin;
using OwlFactory.Grains.Tasks;

namespace OwlFactory.Grains.Fleet;

/// <summary>
/// Dispatch, server side: an agent's heartbeat is a long poll in which a server with free slots claims queued tasks
/// (<see cref="ClaimPacer"/> says when, TaskStore.ClaimAsync in queue order) and takes each from its task's grain,
/// which arbitrates. The grain also keeps the server's registration, liveness (<see cref="LivenessPolicy"/>), slots
/// (<see cref="ServerSlots"/>) and telemetry, and reports to the fleet directory.
/// </summary>
public sealed partial class GpuServerGrain(
    GpuServerStore store,
    TaskStore tasks,
    QueueSignal queueSignal,
    IOptions<FleetSettings> options,
    SystemConfigCache config,
    TimeProvider clock,
    ILogger<GpuServerGrain> logger) : Grain, IGpuServerGrain, IRemindable, IDisposable
{
    private const string LivenessReminder = "liveness";

    private readonly TelemetryHistory _telemetry = new(options.Value.HistoryMinutes);
    private IGrainTimer? _livenessTimer;

    // The tasks this server holds (assigned or running). Rebuilt from the tasks table on activation.
    private readonly ServerSlots _slots = new(clock);
    private readonly AgentPresence _presence = new(clock);
    private readonly ClaimPacer _pacer = new(clock);
    private readonly ReportThrottle _reports = new(clock, FleetTimings.TelemetryReportInterval);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private GpuServerState? _state;
    private DateTime _activatedAt;
    private ImmutableArray<string> _taskTypes = [];
    private bool _claiming;
    private DateTime _watchedUntil;
    private DateTime? _slotFreedAt;
    private TaskCompletionSource _news = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Guid Id => this.GetPrimaryKey();

    private FleetSettings Settings => options.Value;

    private LivenessPolicy Liveness => LivenessPolicy.For(Settings.HeartbeatIntervalSeconds, config.Current.HeartbeatTimeoutSeconds);

    private GpuTelemetry? Latest => _telemetry.Latest;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = await store.LoadAsync(Id);
        _activatedAt = Now();
        if (_state is not null)
        {
            await ReconcileSlotsAsync(TimeSpan.Zero);
        }

        if (_state is not null)
        {
            StartLivenessTimer();
        }
    }

    public async Task<ServerWriteStatus> CreateAsync(ServerSpec spec, string tokenHash)
    {
        if (_state is not null)
        {
            // The token's hash is new for every registration, so the same hash is this registration sent again.
            return _state.TokenHash == tokenHash ? ServerWriteStatus.Ok : ServerWriteStatus.AlreadyExists;
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
        await this.RegisterOrUpdateReminder(LivenessReminder, FleetTimings.LivenessReminderPeriod, FleetTimings.LivenessReminderPeriod);
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

        var result = await WriteAsync(next =>
        {
            Apply(next, spec);
            next.Maintenance = maintenance ?? next.Maintenance;
            next.Status = DeriveStatus(next);
            next.UpdatedAt = Now();
            return true;
        });
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

        if (_slots.Count > 0)
        {
            return ServerWriteStatus.RunsTasks;
        }

        await WriteAsync(next =>
        {
            next.DeletedAt = next.UpdatedAt = Now();
            return true;
        });
        _state = null;
        await GrainFactory.Reference<IFleetDirectoryGrain>(0).RemoveAsync(Id);
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

        await WriteAsync(next =>
        {
            next.TokenHash = tokenHash;
            next.UpdatedAt = Now();
            return true;
        });
        return true;
    }

    public Task<bool> AuthenticateAsync(string tokenHash) => Task.FromResult(TokenMatches(tokenHash));

    public Task<ServerSummary?> GetSummaryAsync() => Task.FromResult(_state is null ? null : Summary());

    public Task<ServerLiveStatus?> GetLiveStatusAsync()
        => Task.FromResult(_state is null
            ? null
            : new ServerLiveStatus(Id, DeriveStatus(_state), Latest?.CpuUsage ?? 0, Latest?.MemoryUsage ?? 0,
                Latest?.Gpus ?? [], Latest?.RunningTasks ?? [], Latest?.Timestamp));

    public Task<ImmutableArray<GpuTelemetry>> GetHistoryAsync(int minutes)
        => Task.FromResult(_telemetry.Since(Now().AddMinutes(-minutes)));

    public async Task<HeartbeatReply?> HeartbeatAsync(string tokenHash, GpuTelemetry sample, TimeSpan wait)
    {
        if (!TokenMatches(tokenHash))
        {
            return null;
        }

        _presence.Called();
        _slots.AgentRuns([.. sample.RunningTasks.Select(t => t.TaskId)]);
        await NoteTaskTypesAsync(sample.TaskTypes);
        var fresh = _telemetry.Take(sample);
        if (fresh)
        {
            _presence.SampleTaken();
        }

        Report(urgent: await PersistStatusChangeAsync());
        if (fresh && Now() < _watchedUntil)
        {
            await this.GetStreamProvider(OwlConstants.StreamProvider)
                .GetStream<GpuTelemetry>(StreamId.Create(FleetStreams.Telemetry, Id))
                .OnNextAsync(sample);
        }

        var interval = TimeSpan.FromSeconds(Settings.HeartbeatIntervalSeconds);
        var deadline = Now() + (wait < interval ? wait : interval);
        _presence.PollHeld();
        try
        {
            while (true)
            {
                await TryClaimAsync();
                var remaining = deadline - Now();
                if (_slots.HasNews || remaining <= TimeSpan.Zero)
                {
                    break;
                }

                // Woken by new work anywhere in the cluster, by a slot of ours coming free, or by the recheck regardless.
                var work = queueSignal.Next;
                var recheck = remaining < FleetTimings.PollRecheckInterval ? remaining : FleetTimings.PollRecheckInterval;
                await Task.WhenAny(work, _news.Task, Task.Delay(recheck, clock));
                if (work.IsCompleted && _slots.Count > 0)
                {
                    await Task.Delay(FleetTimings.ClaimDelay(_slots.Count, _state!.MaxConcurrentTasks), clock);
                }
            }
        }
        finally
        {
            _presence.PollAnswered();
        }

        return _slots.Reply(Settings.HeartbeatIntervalSeconds);
    }

    public Task WatchAsync()
    {
        _watchedUntil = Now() + FleetTimings.WatchLease;
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(Guid taskId)
    {
        if (_slots.Release(taskId))
        {
            _slotFreedAt ??= Now();
            Report();
            Signal();
        }

        return Task.CompletedTask;
    }

    private bool CanTakeWork => _state is { Maintenance: false } && !config.Current.MaintenanceMode
        && _taskTypes.Length > 0 && _slots.Count < _state.MaxConcurrentTasks;

    /// <summary>Claims queued work for the free slots and takes each claimed task from its grain.</summary>
    private async Task TryClaimAsync()
    {
        if (_claiming || !CanTakeWork)
        {
            return;
        }

        var generation = queueSignal.Generation;
        var allowed = _pacer.Allowed(_state!.MaxConcurrentTasks - _slots.Count, generation, wanted => queueSignal.TakeCredits(_taskTypes, wanted));
        if (allowed == 0)
        {
            return;
        }

        _claiming = true;
        try
        {
            _pacer.Claiming(generation);
            var claimed = await tasks.ClaimAsync(Id, [.. _taskTypes], allowed);
            _pacer.Claimed(claimed.Count, allowed);
            if (claimed.Count == 0)
            {
                return;
            }

            var assignments = await Task.WhenAll(claimed.Select(id => GrainFactory.Reference<ITaskGrain>(id).AssignAsync(Id)));
            foreach (var assignment in assignments)
            {
                if (assignment is not null)
                {
                    _slots.Assign(assignment);
                    OwlMetrics.TasksDispatched.Add(1);
                }
            }

            if (_slotFreedAt is { } freed)
            {
                OwlMetrics.DispatchLatency.Record((Now() - freed).TotalMilliseconds);
                _slotFreedAt = null;
            }

            Report();
        }
        finally
        {
            _claiming = false;
        }
    }

    private async Task NoteTaskTypesAsync(ImmutableArray<string> taskTypes)
    {
        if (taskTypes.Length == _taskTypes.Length && taskTypes.Order(StringComparer.Ordinal).SequenceEqual(_taskTypes.Order(StringComparer.Ordinal)))
        {
            return;
        }

        _taskTypes = taskTypes;
        await store.SetTaskTypesAsync(Id, [.. taskTypes]);
    }

    /// <summary>Brings the slots in line with the tasks table (see <see cref="ServerSlots.ReconcileAsync"/>).</summary>
    private async Task ReconcileSlotsAsync(TimeSpan grace)
        => await _slots.ReconcileAsync(await tasks.LoadServerTasksAsync(Id), grace, id => GrainFactory.Reference<ITaskGrain>(id).AssignAsync(Id));

    /// <summary>The server is gone: every task it held goes back to the queue (or fails after its third lost run).</summary>
    private async Task RequeueLostTasksAsync()
    {
        var lost = _slots.TakeAll();
        foreach (var taskId in lost)
        {
            await GrainFactory.Reference<ITaskGrain>(taskId).ServerLostAsync(Id);
        }

        LogTasksRequeued(Id, lost.Count);
    }

    private void Signal()
    {
        _news.TrySetResult();
        _news = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public void Dispose() => _writeGate.Dispose();

    /// <summary>The timer's check: notes a suspect after one missed interval, and settles the status (offline after the timeout).</summary>
    private async Task CheckLivenessAsync()
    {
        if (_state is null)
        {
            return;
        }

        var liveness = Liveness;
        var silence = Now() - (LastSeen ?? _state.LastHeartbeat ?? _state.CreatedAt);
        if (Latest is not null && _presence.TurnsSuspect(liveness, silence))
        {
            // One missed heartbeat is noted, nothing more: a single late packet must not move tasks around.
            LogSuspect(Id, (int)silence.TotalSeconds);
        }

        // A grain that has not heard from its agent since it activated gives it the timeout from the activation.
        if (_slots.Count > 0 && liveness.HasTimedOut(LastSeen ?? _activatedAt, Now()))
        {
            await RequeueLostTasksAsync();
        }
        else if (Now() - _slots.ReconciledAt > FleetTimings.SlotGrace)
        {
            await ReconcileSlotsAsync(FleetTimings.SlotGrace);
        }

        var changed = await PersistStatusChangeAsync();
        Report(urgent: changed || _reports.Due);

        var period = FleetTimings.LivenessCheckPeriod(Settings.HeartbeatIntervalSeconds);
        var silent = Now() - (LastSeen ?? _activatedAt);
        _livenessTimer?.Change(liveness.NextCheck(silent, period), period);
    }

    /// <summary>
    /// Writes the row when the derived status differs from the stored one in a way readers of the row care about:
    /// reachable or not, maintenance or not. online ↔ busy flips with every task and is only shown live.
    /// </summary>
    private async Task<bool> PersistStatusChangeAsync()
    {
        string? changedTo = null;
        var result = await WriteAsync(next =>
        {
            var status = DeriveStatus(next);
            var reachable = status is ServerStatus.Online or ServerStatus.Busy;
            var wasReachable = next.Status is ServerStatus.Online or ServerStatus.Busy;
            if (status == next.Status || (reachable && wasReachable))
            {
                return false;
            }

            next.Status = changedTo = status;
            next.LastHeartbeat = LastSeen ?? next.LastHeartbeat;
            return true;
        });
        if (result == ServerWriteStatus.Ok && changedTo is not null)
        {
            LogStatusChanged(Id, changedTo);
            return true;
        }

        return false;
    }

    private string DeriveStatus(GpuServerState state)
        => Liveness.StatusOf(state.Maintenance, LastSeen, Now(), CurrentTasks, state.MaxConcurrentTasks);

    private int CurrentTasks => _slots.Count;

    private DateTime? LastSeen => _presence.LastSeen(Latest?.Timestamp);

    private ServerSummary Summary()
    {
        var s = _state!;
        return new ServerSummary(Id, s.Name, s.Host, DeriveStatus(s), CurrentTasks, s.MaxConcurrentTasks, s.TotalMemory,
            Latest?.UsedMemory ?? 0, s.GpuCount, Latest?.CpuUsage ?? 0, Latest?.MemoryUsage ?? 0,
            Latest?.AverageGpuUsage ?? 0, Math.Min(CurrentTasks, s.GpuCount), Latest?.Timestamp ?? s.LastHeartbeat,
            s.Description, s.CreatedAt, s.UpdatedAt);
    }

    /// <summary>Tells the fleet directory: changes of status or slots at once (<paramref name="urgent"/>), telemetry as <see cref="ReportThrottle"/> allows.</summary>
    private void Report(bool urgent = true)
    {
        if (_reports.TrySend(urgent))
        {
            GrainFactory.Reference<IFleetDirectoryGrain>(0).ReportAsync(Summary()).Ignore();
        }
    }

    private bool TokenMatches(string tokenHash)
        => _state is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(_state.TokenHash), System.Text.Encoding.ASCII.GetBytes(tokenHash));

    private void StartLivenessTimer()
        => _livenessTimer = this.RegisterGrainTimer(CheckLivenessAsync, new GrainTimerCreationOptions
        {
            DueTime = FleetTimings.LivenessCheckDueTime,
            Period = FleetTimings.LivenessCheckPeriod(Settings.HeartbeatIntervalSeconds),
            KeepAlive = true,
        });

    /// <summary>
    /// Changes the row: <paramref name="change"/> edits a copy of the state (answering false to write nothing, which is
    /// <see cref="ServerWriteStatus.Ok"/>: nothing failed). Writes are one at a time: a poll, which interleaves with
    /// everything, may persist a status while another call writes. NotFound: the server is gone.
    /// </summary>
    private async Task<ServerWriteStatus> WriteAsync(Func<GpuServerState, bool> change)
    {
        await _writeGate.WaitAsync();
        try
        {
            if (_state is null)
            {
                return ServerWriteStatus.NotFound;
            }

            var next = _state.Copy();
            if (!change(next))
            {
                return ServerWriteStatus.Ok;
            }

            var result = await this.WriteOrReloadAsync(() => store.UpdateAsync(Id, next));
            if (result == ServerWriteStatus.Ok)
            {
                _state = next;
            }

            return result;
        }
        finally
        {
            _writeGate.Release();
        }
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

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "GPU server {ServerId} is lost: {Count} task(s) sent back to the queue")]
    private partial void LogTasksRequeued(Guid serverId, int count);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "GPU server {ServerId} is suspect: no heartbeat for {Seconds} s")]
    private partial void LogSuspect(Guid serverId, int seconds);
}
