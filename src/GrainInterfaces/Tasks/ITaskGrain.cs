using Orleans.Concurrency;
using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>
/// One task's state machine: pending (queued, then assigned) → running → completed | failed | cancelled, with
/// retries, requeues after a lost server, timeouts and settlement. Key: the task id.
/// </summary>
[Alias("owl.ITaskGrain")]
public interface ITaskGrain : IGrainWithGuidKey
{
    /// <summary>The task (null when it does not exist or was deleted); a running task's cost is the cost to date.</summary>
    [AlwaysInterleave, Alias("Get")]
    Task<TaskView?> GetAsync();

    /// <summary>
    /// Answers when the task is no longer the same as <paramref name="known"/> (see <see cref="TaskView.SameAs"/>), or
    /// after <paramref name="wait"/>.
    /// </summary>
    [ResponseTimeout("00:00:30")]
    [AlwaysInterleave, Alias("WaitForChange")]
    Task<TaskView?> WaitForChangeAsync(TaskView known, TimeSpan wait);

    /// <summary>From pending (nothing charged) or running (charged for the time run; the agent is told to stop).</summary>
    [NotIdempotent, Alias("Cancel")]
    Task<TaskResult> CancelAsync();

    /// <summary>From failed or cancelled: back to pending with a new hold and the next attempt.</summary>
    [NotIdempotent, Alias("Retry")]
    Task<TaskResult> RetryAsync();

    /// <summary>Only a finished task; its ledger entries stay.</summary>
    [NotIdempotent, Alias("Delete")]
    Task<TaskResult> DeleteAsync();

    /// <summary>A server claimed the task from the queue; null when the task is no longer the server's to take.</summary>
    [Alias("Assign")]
    Task<AgentAssignment?> AssignAsync(Guid serverId);

    [Alias("AgentStart")]
    Task<TaskOutcome> AgentStartAsync(Guid serverId);

    [Alias("AgentProgress")]
    Task<TaskOutcome> AgentProgressAsync(Guid serverId, double progress);

    [Alias("AgentLogs")]
    Task<TaskOutcome> AgentLogsAsync(Guid serverId, IReadOnlyList<TaskLogLine> lines);

    [Alias("AgentComplete")]
    Task<TaskOutcome> AgentCompleteAsync(Guid serverId, string? resultJson);

    [Alias("AgentFail")]
    Task<TaskOutcome> AgentFailAsync(Guid serverId, string errorMessage);

    /// <summary>The server holding the task went offline: requeue at the front, or fail after the third lost run.</summary>
    [Alias("ServerLost")]
    Task ServerLostAsync(Guid serverId);

    /// <summary>The sweeper's nudge: enforce the timeout of a task whose timer may have died with its silo.</summary>
    [Alias("Check")]
    Task CheckAsync();
}
