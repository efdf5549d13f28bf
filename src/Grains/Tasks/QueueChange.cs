namespace OwlFactory.Grains.Tasks;

/// <summary>What happens to a task's queue row in the same statement as its write.</summary>
public enum QueueChange
{
    None,

    /// <summary>Into the queue, behind the tasks of its priority.</summary>
    Enqueue,

    /// <summary>Into the queue ahead of everything (a run lost with its server).</summary>
    EnqueueFront,

    /// <summary>Out of the queue (assigned, cancelled).</summary>
    Remove,
}
