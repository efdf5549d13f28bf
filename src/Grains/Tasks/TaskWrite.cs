using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.Grains.Tasks;

/// <summary>
/// One write of a task's row: <paramref name="Next"/> replaces the row at <paramref name="ExpectedVersion"/> (0: a new
/// row), with its queue change and a lifecycle line for its log, all in one statement.
/// </summary>
public sealed record TaskWrite(TaskRecord Next, long ExpectedVersion, QueueChange Queue, string? LogLine)
{
    /// <summary>The record as the write leaves it: <see cref="Next"/> at the version after <see cref="ExpectedVersion"/>.</summary>
    public TaskRecord Written => Next with { Version = ExpectedVersion + 1 };
}
