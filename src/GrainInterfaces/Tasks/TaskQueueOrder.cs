namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>
/// Queue order: the order in which dispatch takes <c>task_queue</c>'s rows. A run lost with its server first (<c>front</c>), then
/// higher priority, then the earlier enqueued, then the task id, so that no two rows tie. The indexes
/// <c>ix_task_queue_order</c> and <c>ix_task_queue_type_order</c> (migrations 0007, 0010) are in this order; whatever
/// reads the queue in order or asks what is ahead of a task uses these.
/// </summary>
public static class TaskQueueOrder
{
    /// <summary>The order as an <c>ORDER BY</c> list of the queue's columns.</summary>
    public const string Columns = "front DESC, priority DESC, enqueued_at, task_id";

    /// <summary>The order as an <c>ORDER BY</c> list of the columns of the queue rows named <paramref name="alias"/>.</summary>
    public static string Of(string alias)
        => $"{alias}.front DESC, {alias}.priority DESC, {alias}.enqueued_at, {alias}.task_id";

    /// <summary>An SQL condition: the queue row <paramref name="row"/> comes before the queue row <paramref name="other"/>.</summary>
    public static string Before(string row, string other)
        => $"({row}.front > {other}.front OR ({row}.front = {other}.front AND ({row}.priority > {other}.priority " +
           $"OR ({row}.priority = {other}.priority AND ({row}.enqueued_at, {row}.task_id) < ({other}.enqueued_at, {other}.task_id)))))";
}
