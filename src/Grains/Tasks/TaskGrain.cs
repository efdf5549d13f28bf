using System.Globalization;
using Microsoft.Extensions.Logging;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;
using OwlFactory.GrainInterfaces.Billing;
using OwlFactory.GrainInterfaces.Fleet;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.Grains.Tasks;

public sealed partial class TaskGrain(TaskStore store, TimeProvider clock, ILogger<TaskGrain> logger) : Grain, ITaskGrain
{
    /// <summary>After this many runs lost with their servers, a task fails instead of being requeued.</summary>
    public const int MaxLostRuns = 3;

    // Progress is kept in memory and written at most this often (and with every status change).
    private static readonly TimeSpan ProgressWriteInterval = TimeSpan.FromSeconds(2);

    private TaskRecord? _task;
    private IGrainTimer? _timeout;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private double _liveProgress;
    private DateTime _progressWrittenAt;

    private IUserGrain Owner => GrainFactory.Reference<IUserGrain>(_task!.UserId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _task = await store.LoadAsync(this.GetPrimaryKey());
        if (_task is { DeletedAt: not null })
        {
            _task = null;
        }

        _liveProgress = _task?.Progress ?? 0;
        ArmTimeout();
    }

    public Task<TaskView?> GetAsync() => Task.FromResult(Live());

    public async Task<TaskView?> WaitForChangeAsync(TaskView known, TimeSpan wait)
    {
        if (Live() is { } live && live.SameAs(known))
        {
            await Task.WhenAny(_changed.Task, Task.Delay(wait, clock));
        }

        return Live();
    }

    public async Task<TaskResult> CancelAsync()
    {
        if (_task is null)
        {
            return TaskResult.Of(TaskOutcome.NotFound);
        }

        if (!_task.IsActive)
        {
            return TaskResult.Of(TaskOutcome.InvalidState, Live());
        }

        var wasRunning = _task.Status == TaskStatuses.Running;
        await FinishAsync(TaskStatuses.Cancelled, null, null, wasRunning ? "cancelled while running; the agent is told to stop" : "cancelled before it ran");
        return TaskResult.Of(TaskOutcome.Ok, Live());
    }

    public async Task<TaskResult> RetryAsync()
    {
        if (_task is null)
        {
            return TaskResult.Of(TaskOutcome.NotFound);
        }

        if (_task.Status is not (TaskStatuses.Failed or TaskStatuses.Cancelled))
        {
            return TaskResult.Of(TaskOutcome.InvalidState, Live());
        }

        var now = Now();
        var next = _task with
        {
            Status = TaskStatuses.Pending,
            Attempt = _task.Attempt + 1,
            LostRuns = 0,
            Progress = 0,
            Cost = 0,
            ResultJson = null,
            ErrorMessage = null,
            GpuServerId = null,
            AssignedAt = null,
            StartedAt = null,
            CompletedAt = null,
            UpdatedAt = now,
        };
        var reservation = await this.WriteOrReloadAsync(() => Owner.ReserveRetryAsync(_task, next));
        if (reservation.Written is { } written)
        {
            Changed(written);
            return TaskResult.Of(TaskOutcome.Ok, Live());
        }

        return reservation.Result;
    }

    public async Task<TaskResult> DeleteAsync()
    {
        if (_task is null)
        {
            return TaskResult.Of(TaskOutcome.NotFound);
        }

        if (!_task.IsFinished)
        {
            return TaskResult.Of(TaskOutcome.InvalidState, Live());
        }

        var now = Now();
        await WriteAsync(_task with { DeletedAt = now, UpdatedAt = now }, QueueChange.None, "deleted by its owner");
        await Owner.TaskDeletedAsync(_task.Id);
        _task = null;
        _changed.TrySetResult();
        DeactivateOnIdle();
        return TaskResult.Of(TaskOutcome.Ok);
    }

    public async Task<AgentAssignment?> AssignAsync(Guid serverId)
    {
        if (_task is not { Status: TaskStatuses.Pending })
        {
            return null;
        }

        if (_task.GpuServerId is { } holder)
        {
            return holder == serverId ? ToAssignment(_task) : null;
        }

        var now = Now();
        await WriteAsync(_task with { GpuServerId = serverId, AssignedAt = now, UpdatedAt = now }, QueueChange.Remove,
            $"assigned to GPU server {serverId} (attempt {_task.Attempt})");
        return ToAssignment(_task);
    }

    public async Task<TaskOutcome> AgentStartAsync(Guid serverId)
    {
        if (_task is null || _task.GpuServerId != serverId)
        {
            return TaskOutcome.NotFound;
        }

        if (_task.Status == TaskStatuses.Running)
        {
            return TaskOutcome.Ok;
        }

        if (_task.Status != TaskStatuses.Pending)
        {
            return TaskOutcome.InvalidState;
        }

        var now = Now();
        await WriteAsync(_task with { Status = TaskStatuses.Running, StartedAt = now, UpdatedAt = now }, QueueChange.None,
            $"started on GPU server {serverId}");
        ArmTimeout();
        return TaskOutcome.Ok;
    }

    public async Task<TaskOutcome> AgentProgressAsync(Guid serverId, double progress)
    {
        if (CheckRunningOn(serverId) is { } refusal)
        {
            return refusal;
        }

        if (progress <= _liveProgress)
        {
            return TaskOutcome.Ok;
        }

        _liveProgress = progress;
        var now = Now();
        if (now - _progressWrittenAt >= ProgressWriteInterval)
        {
            _progressWrittenAt = now;
            await WriteAsync(_task! with { Progress = progress, UpdatedAt = now }, QueueChange.None, null);
        }
        else
        {
            // Watchers see it now; the row catches up with the next write.
            Signal();
        }

        return TaskOutcome.Ok;
    }

    public async Task<TaskOutcome> AgentLogsAsync(Guid serverId, IReadOnlyList<TaskLogLine> lines)
    {
        if (_task is null || _task.GpuServerId != serverId)
        {
            return TaskOutcome.NotFound;
        }

        if (lines.Count > 0)
        {
            await store.AppendLogsAsync(_task.Id, lines);
        }

        return TaskOutcome.Ok;
    }

    public async Task<TaskOutcome> AgentCompleteAsync(Guid serverId, string? resultJson)
    {
        if (_task is { Status: TaskStatuses.Completed } && _task.GpuServerId == serverId)
        {
            return TaskOutcome.Ok;
        }

        if (CheckRunningOn(serverId) is { } refusal)
        {
            return refusal;
        }

        await FinishAsync(TaskStatuses.Completed, resultJson ?? "{}", null, "completed");
        return TaskOutcome.Ok;
    }

    public async Task<TaskOutcome> AgentFailAsync(Guid serverId, string errorMessage)
    {
        if (_task is { Status: TaskStatuses.Failed } && _task.GpuServerId == serverId)
        {
            return TaskOutcome.Ok;
        }

        if (_task is { Status: TaskStatuses.Pending } && _task.GpuServerId == serverId)
        {
            // An agent that cannot run an assignment reports it without starting it: nothing ran, nothing is charged.
            await FinishAsync(TaskStatuses.Failed, null, errorMessage, $"failed before it started: {errorMessage}");
            return TaskOutcome.Ok;
        }

        if (CheckRunningOn(serverId) is { } refusal)
        {
            return refusal;
        }

        await FinishAsync(TaskStatuses.Failed, null, errorMessage, $"failed: {errorMessage}");
        return TaskOutcome.Ok;
    }

    public async Task ServerLostAsync(Guid serverId)
    {
        if (_task is not { IsActive: true } || _task.GpuServerId != serverId)
        {
            return;
        }

        var lost = _task.LostRuns + 1;
        if (lost >= MaxLostRuns)
        {
            // Nothing of the lost runs is billed: the task ends as if it never ran (TaskBilling bills no run without a start).
            _task = _task with { StartedAt = null, LostRuns = lost };
            await FinishAsync(TaskStatuses.Failed, null, $"GPU server lost {lost} times; giving up after {MaxLostRuns} attempts",
                $"GPU server {serverId} stopped sending heartbeats; failed after {lost} lost runs");
            return;
        }

        var now = Now();
        await WriteAsync(_task with
        {
            Status = TaskStatuses.Pending,
            GpuServerId = null,
            AssignedAt = null,
            StartedAt = null,
            Progress = 0,
            Attempt = _task.Attempt + 1,
            LostRuns = lost,
            UpdatedAt = now,
        }, QueueChange.EnqueueFront, $"GPU server {serverId} stopped sending heartbeats; requeued at the front (attempt {_task.Attempt + 1})");
        _liveProgress = 0;
        _timeout?.Dispose();
        LogRequeued(_task.Id, serverId, lost);
    }

    public Task CheckAsync() => EnforceTimeoutAsync();

    private async Task EnforceTimeoutAsync()
    {
        if (_task is { Status: TaskStatuses.Running, StartedAt: { } started } && Now() >= started.AddSeconds(_task.TimeoutSeconds))
        {
            LogTimedOut(_task.Id, _task.TimeoutSeconds);
            await FinishAsync(TaskStatuses.Failed, null, $"Task timed out after {_task.TimeoutSeconds} s (default_task_timeout)",
                $"timed out after {_task.TimeoutSeconds} s; the agent is told to stop");
        }
    }

    /// <summary>Ends the task: its cost charged and the rest of its hold released with the final write; the server's slot freed.</summary>
    private async Task FinishAsync(string status, string? resultJson, string? errorMessage, string logLine)
    {
        var current = _task!;
        var now = Now();
        var next = current with
        {
            Status = status,
            ResultJson = resultJson,
            ErrorMessage = errorMessage,
            Progress = status == TaskStatuses.Completed ? 100 : _liveProgress,
            Cost = TaskBilling.FinalCost(current, now),
            CompletedAt = now,
            UpdatedAt = now,
        };
        var written = await this.WriteOrReloadAsync(() => Owner.SettleTaskAsync(current, next,
            string.Create(CultureInfo.InvariantCulture, $"{logLine}; cost {next.Cost:0.00}")));
        Changed(written);
        _timeout?.Dispose();
        if (current.GpuServerId is { } serverId)
        {
            await GrainFactory.Reference<IGpuServerGrain>(serverId).ReleaseAsync(current.Id);
        }

        // A finished task is rarely asked for again, and its row answers if it is: at a thousand tasks a second,
        // keeping each activation for the collection age would hold hundreds of thousands of them.
        DeactivateOnIdle();
    }

    private TaskOutcome? CheckRunningOn(Guid serverId)
    {
        if (_task is null || _task.GpuServerId != serverId)
        {
            return TaskOutcome.NotFound;
        }

        return _task.Status == TaskStatuses.Running ? null : TaskOutcome.InvalidState;
    }

    private async Task WriteAsync(TaskRecord next, QueueChange queue, string? logLine)
    {
        var expected = _task!.Version;
        var written = await this.WriteOrReloadAsync(() => store.WriteAsync(new TaskWrite(next, expected, queue, logLine)));
        Changed(written);
    }

    private void Changed(TaskRecord written)
    {
        _task = written;
        _liveProgress = Math.Max(written.Status == TaskStatuses.Pending ? 0 : _liveProgress, written.Progress);
        Signal();
    }

    private void Signal()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The task as callers see it: live progress and, while running, the cost accrued so far.</summary>
    private TaskView? Live()
    {
        if (_task is null)
        {
            return null;
        }

        return _task.Status == TaskStatuses.Running
            ? _task.ToView() with { Progress = _liveProgress, Cost = TaskBilling.CostAt(_task, Now()) }
            : _task.ToView();
    }

    private void ArmTimeout()
    {
        _timeout?.Dispose();
        if (_task is { Status: TaskStatuses.Running, StartedAt: { } started })
        {
            var due = started.AddSeconds(_task.TimeoutSeconds) - Now();
            _timeout = this.RegisterGrainTimer(EnforceTimeoutAsync, new GrainTimerCreationOptions
            {
                DueTime = due > TimeSpan.Zero ? due : TimeSpan.Zero,
                Period = TimeSpan.FromSeconds(5),
                KeepAlive = true,
            });
        }
    }

    private static AgentAssignment ToAssignment(TaskRecord t)
        => new(t.Id, t.TaskType, t.Title, t.ConfigJson, t.Attempt, t.TimeoutSeconds);

    private DateTime Now() => clock.UtcNowMilliseconds();

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Task {TaskId} requeued: its GPU server {ServerId} was lost (lost runs: {LostRuns})")]
    private partial void LogRequeued(Guid taskId, Guid serverId, int lostRuns);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Task {TaskId} timed out after {Seconds} s")]
    private partial void LogTimedOut(Guid taskId, int seconds);
}
