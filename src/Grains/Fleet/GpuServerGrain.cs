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

    // How long an in-memory slot is trusted before a reconciliation with the tasks table may drop it.
    private static readonly TimeSpan SlotGrace = TimeSpan.FromSeconds(15);

    // A server with a free slot claims at least this often even when no enqueue was heard (a claim older than 30 s,
    // whose silo died before assigning it, becomes claimable again without any enqueue).
    private static readonly TimeSpan SafetyClaimInterval = TimeSpan.FromSeconds(10);

    // How long one WatchAsync keeps the samples flowing on the stream.
    private static readonly TimeSpan WatchLease = TimeSpan.FromMinutes(1);

    // The most often telemetry alone is reported to the fleet directory.
    private static readonly TimeSpan TelemetryReportInterval = TimeSpan.FromSeconds(1);

    private readonly Queue<GpuTelemetry> _history = new();

    // The tasks this server holds (assigned or running): its slots. Rebuilt from the tasks table on activation.
    private readonly Dictionary<Guid, Slot> _slots = [];
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private GpuServerState? _state;
    private GpuTelemetry? _latest;

    // The agent's last call: a heartbeat's poll reaches the grain before its telemetry sample (which the stream
    // delivers a moment later), and either proves the agent alive.
    private DateTime? _lastPollAt;
    private int _polling;
    private bool _suspect;
    private DateTime _activatedAt;
    private DateTime _reconciledAt;
    private ImmutableArray<string> _taskTypes = [];
    private ImmutableArray<Guid> _reported = [];
    private HashSet<Guid> _cancelSent = [];
    private bool _claiming;

    // When this server last claimed (QueueSignal.Generation) and whether that claim got all it asked for.
    private long? _claimedAtGeneration;
    private bool _lastClaimFull;
    private DateTime _nextSafetyClaim;
    private DateTime _watchedUntil;
    private DateTime _reportedAt;
    private bool _reportDue;
    private DateTime? _slotFreedAt;
    private TaskCompletionSource _news = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Guid Id => this.GetPrimaryKey();

    private FleetSettings Settings => options.Value;

    /// <summary>The live config's heartbeat_timeout_seconds, never below two intervals (one late beat must not count).</summary>
    private TimeSpan HeartbeatTimeout => TimeSpan.FromSeconds(Math.Max(config.Current.HeartbeatTimeoutSeconds, 2 * Settings.HeartbeatIntervalSeconds + 1));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = await store.LoadAsync(Id);
        _activatedAt = _reconciledAt = Now();
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
            : new ServerLiveStatus(Id, DeriveStatus(_state), _latest?.CpuUsage ?? 0, _latest?.MemoryUsage ?? 0,
                _latest?.Gpus ?? [], _latest?.RunningTasks ?? [], _latest?.Timestamp));

    public Task<ImmutableArray<GpuTelemetry>> GetHistoryAsync(int minutes)
    {
        var since = Now().AddMinutes(-minutes);
        return Task.FromResult(_history.Where(s => s.Timestamp >= since).ToImmutableArray());
    }

    public async Task<HeartbeatReply?> HeartbeatAsync(string tokenHash, GpuTelemetry sample, TimeSpan wait)
    {
        if (!TokenMatches(tokenHash))
        {
            return null;
        }

        _lastPollAt = Now();
        _reported = [.. sample.RunningTasks.Select(t => t.TaskId)];
        foreach (var running in _reported)
        {
            if (_slots.TryGetValue(running, out var slot))
            {
                slot.Started = true;
            }
        }

        await NoteTaskTypesAsync(sample.TaskTypes);
        var fresh = Ingest(sample);
        Report(urgent: await PersistStatusChangeAsync());
        if (fresh && Now() < _watchedUntil)
        {
            await this.GetStreamProvider(OwlConstants.StreamProvider)
                .GetStream<GpuTelemetry>(StreamId.Create(FleetStreams.Telemetry, Id))
                .OnNextAsync(sample);
        }

        var interval = TimeSpan.FromSeconds(Settings.HeartbeatIntervalSeconds);
        var deadline = Now() + (wait < interval ? wait : interval);
        _polling++;
        try
        {
            while (true)
            {
                await TryClaimAsync();
                var remaining = deadline - Now();
                if (HasNews() || remaining <= TimeSpan.Zero)
                {
                    break;
                }

                // Woken by new work anywhere in the cluster, by a slot of ours coming free, or once a second regardless
                // (a missed notification, a claim that expired) — so a free slot is filled within a second.
                var work = queueSignal.Next;
                await Task.WhenAny(work, _news.Task, Task.Delay(remaining < TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1), clock));
                if (work.IsCompleted && _slots.Count > 0)
                {
                    // The least loaded servers claim first: a server waits in proportion to how full it is.
                    await Task.Delay(TimeSpan.FromMilliseconds(50.0 * _slots.Count / Math.Max(1, _state!.MaxConcurrentTasks)), clock);
                }
            }
        }
        finally
        {
            _polling--;
            // The agent's silence starts when its poll is answered, not when it was sent: a poll held here for its
            // whole wait must not count against the heartbeat timeout.
            _lastPollAt = Now();
        }

        return Reply();
    }

    public Task WatchAsync()
    {
        _watchedUntil = Now() + WatchLease;
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(Guid taskId)
    {
        if (_slots.Remove(taskId))
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

        // Claim when there is a reason to: enqueues heard for our types (credits, shared by this silo's servers), a
        // last claim that took all it asked for (there may be more), a reconnect that may have missed enqueues, or
        // the periodic safety claim. Otherwise PostgreSQL is not asked.
        var wanted = _state!.MaxConcurrentTasks - _slots.Count;
        var generation = queueSignal.Generation;
        var allowed = generation != _claimedAtGeneration || _lastClaimFull || Now() >= _nextSafetyClaim
            ? wanted
            : queueSignal.TakeCredits(_taskTypes, wanted);
        if (allowed == 0)
        {
            return;
        }

        _claiming = true;
        try
        {
            _claimedAtGeneration = generation;
            _nextSafetyClaim = Now() + SafetyClaimInterval;
            var claimed = await tasks.ClaimAsync(Id, [.. _taskTypes], allowed);
            _lastClaimFull = claimed.Count == allowed;
            if (claimed.Count == 0)
            {
                return;
            }

            var assignments = await Task.WhenAll(claimed.Select(id => GrainFactory.GetGrain<ITaskGrain>(id).AssignAsync(Id)));
            foreach (var assignment in assignments)
            {
                if (assignment is not null)
                {
                    _slots[assignment.TaskId] = new Slot(assignment, Now());
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

    /// <summary>An assignment the agent has not been given yet, or a task it must stop that it was not told about.</summary>
    private bool HasNews()
        => _slots.Values.Any(s => s is { Started: false, Delivered: false, Assignment: not null })
           || _reported.Any(id => !_slots.ContainsKey(id) && !_cancelSent.Contains(id));

    private HeartbeatReply Reply()
    {
        var assignments = new List<AgentAssignment>();
        foreach (var slot in _slots.Values.Where(s => s is { Started: false, Assignment: not null }))
        {
            slot.Delivered = true;
            assignments.Add(slot.Assignment!);
        }

        var cancel = _reported.Where(id => !_slots.ContainsKey(id)).ToImmutableArray();
        _cancelSent = [.. cancel];
        return new HeartbeatReply(Settings.HeartbeatIntervalSeconds, [.. assignments], cancel);
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

    /// <summary>
    /// Brings the slots in line with the tasks table: adds what the table says this server holds (an assignment
    /// still to start is fetched again from its task), drops what it no longer holds once the slot is older than
    /// <paramref name="grace"/> (a newer in-memory slot may be a write the read did not see yet).
    /// </summary>
    private async Task ReconcileSlotsAsync(TimeSpan grace)
    {
        var held = await tasks.LoadServerTasksAsync(Id);
        var now = Now();
        var ids = held.Select(h => h.TaskId).ToHashSet();
        foreach (var (id, slot) in _slots.ToList())
        {
            if (!ids.Contains(id) && now - slot.Since >= grace)
            {
                _slots.Remove(id);
            }
        }

        foreach (var (id, started) in held.Where(h => !_slots.ContainsKey(h.TaskId)))
        {
            var assignment = started ? null : await GrainFactory.GetGrain<ITaskGrain>(id).AssignAsync(Id);
            if (started || assignment is not null)
            {
                _slots[id] = new Slot(assignment, now) { Started = started };
            }
        }

        _reconciledAt = now;
    }

    /// <summary>The server is gone: every task it held goes back to the queue (or fails after its third lost run).</summary>
    private async Task RequeueLostTasksAsync()
    {
        var lost = _slots.Keys.ToList();
        _slots.Clear();
        foreach (var taskId in lost)
        {
            await GrainFactory.GetGrain<ITaskGrain>(taskId).ServerLostAsync(Id);
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

    /// <summary>Takes a heartbeat's sample as the latest and into the history; false for one not newer than the latest.</summary>
    private bool Ingest(GpuTelemetry sample)
    {
        // Idempotent: a sample that is not newer than the latest one (a replay) changes nothing.
        if (_latest is not null && sample.Timestamp <= _latest.Timestamp)
        {
            return false;
        }

        _latest = sample;
        _suspect = false;
        _history.Enqueue(sample);
        var horizon = sample.Timestamp.AddMinutes(-Settings.HistoryMinutes);
        while (_history.Peek().Timestamp < horizon)
        {
            _history.Dequeue();
        }

        return true;
    }

    /// <summary>The timer's check: notes a suspect after one missed interval, and settles the status (offline after the timeout).</summary>
    private async Task CheckLivenessAsync()
    {
        if (_state is null)
        {
            return;
        }

        var silence = Now() - (LastSeen ?? _state.LastHeartbeat ?? _state.CreatedAt);
        if (silence > TimeSpan.FromSeconds(Settings.HeartbeatIntervalSeconds * 2) && silence <= HeartbeatTimeout && !_suspect && _latest is not null)
        {
            // One missed heartbeat is noted, nothing more: a single late packet must not move tasks around.
            _suspect = true;
            LogSuspect(Id, (int)silence.TotalSeconds);
        }

        var lastSign = LastSeen ?? _activatedAt;
        if (_slots.Count > 0 && Now() - lastSign > HeartbeatTimeout)
        {
            await RequeueLostTasksAsync();
        }
        else if (Now() - _reconciledAt > SlotGrace)
        {
            await ReconcileSlotsAsync(SlotGrace);
        }

        var changed = await PersistStatusChangeAsync();
        Report(urgent: changed || _reportDue);
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

    private string DeriveStatus(GpuServerState state) => state switch
    {
        { Maintenance: true } => ServerStatus.Maintenance,
        _ when LastSeen is not { } seen || Now() - seen > HeartbeatTimeout => ServerStatus.Offline,
        _ when CurrentTasks >= state.MaxConcurrentTasks => ServerStatus.Busy,
        _ => ServerStatus.Online,
    };

    private int CurrentTasks => _slots.Count;

    // An agent whose poll is held here right now is seen now.
    private DateTime? LastSeen => _polling > 0 ? Now()
        : _latest is null ? _lastPollAt
        : _lastPollAt is { } poll && poll > _latest.Timestamp ? poll : _latest.Timestamp;

    private ServerSummary Summary()
    {
        var s = _state!;
        var gpus = _latest?.Gpus ?? [];
        return new ServerSummary(Id, s.Name, s.Host, DeriveStatus(s), CurrentTasks, s.MaxConcurrentTasks, s.TotalMemory,
            _latest?.UsedMemory ?? 0, s.GpuCount, _latest?.CpuUsage ?? 0, _latest?.MemoryUsage ?? 0,
            _latest?.AverageGpuUsage ?? 0, Math.Min(CurrentTasks, s.GpuCount), _latest?.Timestamp ?? s.LastHeartbeat,
            s.Description, s.CreatedAt, s.UpdatedAt);
    }

    /// <summary>
    /// Tells the fleet directory. Changes of status or slots go at once (<paramref name="urgent"/>); telemetry
    /// figures at most once per <see cref="TelemetryReportInterval"/>, the rest by the liveness timer, so the
    /// directory is not sent every heartbeat of every server.
    /// </summary>
    private void Report(bool urgent = true)
    {
        var now = Now();
        if (!urgent && now - _reportedAt < TelemetryReportInterval)
        {
            _reportDue = true;
            return;
        }

        _reportedAt = now;
        _reportDue = false;
        GrainFactory.GetGrain<IFleetDirectoryGrain>(0).ReportAsync(Summary()).Ignore();
    }

    private bool TokenMatches(string tokenHash)
        => _state is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(_state.TokenHash), System.Text.Encoding.ASCII.GetBytes(tokenHash));

    private void StartLivenessTimer()
        => this.RegisterGrainTimer(CheckLivenessAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.FromSeconds(1),
            Period = TimeSpan.FromSeconds(Math.Max(1, Settings.HeartbeatIntervalSeconds / 2.0)),
            KeepAlive = true,
        });

    /// <summary>
    /// Changes the row: <paramref name="change"/> edits a copy of the state (answering false to write nothing). Writes
    /// are one at a time: a poll, which interleaves with everything, may persist a status while another call writes.
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
                return ServerWriteStatus.NotFound;
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

    /// <summary>A task this server holds; <c>Assignment</c> is null for one already running when the grain activated.</summary>
    private sealed class Slot(AgentAssignment? assignment, DateTime since)
    {
        public AgentAssignment? Assignment { get; } = assignment;

        public DateTime Since { get; } = since;

        public bool Started { get; set; }

        public bool Delivered { get; set; }
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "GPU server {ServerId} is suspect: no heartbeat for {Seconds} s")]
    private partial void LogSuspect(Guid serverId, int seconds);
}
