namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>PRODUCT.md's task statuses, as they appear in the API and the <c>tasks</c> table.</summary>
public static class TaskStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>
    /// An SQL condition on a <c>tasks</c> row: the task is active (pending or running). A task has no
    /// <c>completed_at</c> exactly while it is active (every end sets it, a retry clears it); the indexes over active
    /// tasks key on that column, which a task's run changes once, not on the status, which every step changes
    /// (migration 0012: so a start is written in place, with no index entry).
    /// </summary>
    public static string ActiveIn(string alias) => $"{alias}.completed_at IS NULL";

    /// <summary>Completed, failed or cancelled: nothing more happens unless it is retried.</summary>
    public static bool IsFinished(string status) => status is Completed or Failed or Cancelled;

    /// <summary>Pending or running: it counts against its user's concurrency limit.</summary>
    public static bool IsActive(string status) => status is Pending or Running;
}
