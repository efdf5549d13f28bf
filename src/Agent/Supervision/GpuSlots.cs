namespace OwlFactory.Agent.Supervision;

/// <summary>
/// Which GPU each running task gets: the one running the fewest tasks (the lowest index among equals). The agent
/// is "full" at <c>capacity</c> tasks; it still places tasks past that (the platform's own limit decides what it
/// is given), sharing GPUs. Not thread-safe: its owner locks.
/// </summary>
internal sealed class GpuSlots
{
    private readonly SortedDictionary<int, int> _tasksPerGpu = [];
    private int _running;

    /// <param name="gpuIndices">The GPUs' indices; none where the host has no GPU.</param>
    /// <param name="maxConcurrentTasks">0 for one task per GPU (at least one).</param>
    public GpuSlots(IEnumerable<int> gpuIndices, int maxConcurrentTasks)
    {
        ArgumentNullException.ThrowIfNull(gpuIndices);
        foreach (var index in gpuIndices)
        {
            _tasksPerGpu[index] = 0;
        }

        Capacity = maxConcurrentTasks > 0 ? maxConcurrentTasks : Math.Max(1, _tasksPerGpu.Count);
    }

    public int Capacity { get; }

    public int Running => _running;

    public bool HasFree => _running < Capacity;

    public IReadOnlyList<int> GpuIndices => [.. _tasksPerGpu.Keys];

    /// <summary>Takes a slot; the GPU to use, or null where there is none.</summary>
    public int? Acquire()
    {
        _running++;
        if (_tasksPerGpu.Count == 0)
        {
            return null;
        }

        var least = _tasksPerGpu.MinBy(g => g.Value).Key;
        _tasksPerGpu[least]++;
        return least;
    }

    public void Release(int? gpu)
    {
        _running = Math.Max(0, _running - 1);
        if (gpu is { } index && _tasksPerGpu.TryGetValue(index, out var count))
        {
            _tasksPerGpu[index] = Math.Max(0, count - 1);
        }
    }

    /// <summary>The GPUs that run at least one task.</summary>
    public IReadOnlySet<int> Busy() => _tasksPerGpu.Where(g => g.Value > 0).Select(g => g.Key).ToHashSet();
}
