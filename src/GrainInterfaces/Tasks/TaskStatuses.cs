namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>PRODUCT.md's task statuses, as they appear in the API and the <c>tasks</c> table.</summary>
public static class TaskStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>The active statuses as an SQL list, for <c>status IN …</c>; the <c>tasks</c> table spells them as above.</summary>
    public const string ActiveInSql = "('" + Pending + "', '" + Running + "')";

    /// <summary>Completed, failed or cancelled: nothing more happens unless it is retried.</summary>
    public static bool IsFinished(string status) => status is Completed or Failed or Cancelled;

    /// <summary>Pending or running: it counts against its user's concurrency limit.</summary>
    public static bool IsActive(string status) => status is Pending or Running;
}
