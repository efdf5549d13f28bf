namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>
/// The safety net behind the task grains' own timers (key 0, driven by a reminder): finds running tasks past their
/// timeout whose grain is not active to notice, and wakes them. Not on any request's path.
/// </summary>
[Alias("owl.ITaskSweeperGrain")]
public interface ITaskSweeperGrain : IGrainWithIntegerKey
{
    [Alias("EnsureScheduled")]
    Task EnsureScheduledAsync();

    /// <summary>Wakes every overdue task; answers how many it found.</summary>
    [Alias("Sweep")]
    Task<int> SweepAsync();
}
