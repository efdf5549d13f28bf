namespace OwlFactory.Agent.Supervision;

/// <summary>
/// The last attempts this agent finished, so that an assignment repeated after its end (a heartbeat answer that
/// crossed the /start) is not run twice. Bounded; not thread-safe: its owner locks.
/// </summary>
internal sealed class RecentTasks(int capacity)
{
    private readonly Queue<(string TaskId, int Attempt)> _order = new();
    private readonly HashSet<(string TaskId, int Attempt)> _set = [];

    public void Add(string taskId, int attempt)
    {
        if (!_set.Add((taskId, attempt)))
        {
            return;
        }

        _order.Enqueue((taskId, attempt));
        if (_order.Count > capacity)
        {
            _set.Remove(_order.Dequeue());
        }
    }

    public bool Contains(string taskId, int attempt) => _set.Contains((taskId, attempt));
}
