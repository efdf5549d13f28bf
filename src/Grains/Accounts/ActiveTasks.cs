namespace OwlFactory.Grains.Accounts;

/// <summary>
/// Per-user concurrency: at most max_concurrent_tasks_per_user of a user's tasks are pending or running at once.
/// Every change to that set goes through the user's grain (submit, retry, settlement), so the count is exact under
/// any number of parallel submits. Loaded from the tasks table when the grain activates.
/// </summary>
internal sealed class ActiveTasks(IEnumerable<Guid> active)
{
    private readonly HashSet<Guid> _ids = [.. active];

    public int Count => _ids.Count;

    /// <summary>Whether one more task would pass <paramref name="limit"/>.</summary>
    public bool IsFull(int limit) => _ids.Count >= limit;

    /// <summary>The refusal a user reads when <see cref="IsFull"/>.</summary>
    public static string LimitMessage(int limit) => $"At most {limit} tasks may be pending or running at once";

    /// <summary>A task was queued (a submit or a retry).</summary>
    public void Queued(Guid taskId) => _ids.Add(taskId);

    /// <summary>A task was settled: it no longer counts.</summary>
    public void Ended(Guid taskId) => _ids.Remove(taskId);
}
