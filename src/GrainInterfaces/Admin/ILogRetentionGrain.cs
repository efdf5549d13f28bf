namespace OwlFactory.GrainInterfaces.Admin;

/// <summary>
/// Removes log records older than <c>log_retention_days</c> (system logs, the audit trail, task logs) once a day,
/// driven by a reminder (key 0). Deletes in batches so it never holds long locks.
/// </summary>
[Alias("owl.ILogRetentionGrain")]
public interface ILogRetentionGrain : IGrainWithIntegerKey
{
    [Alias("EnsureScheduled")]
    Task EnsureScheduledAsync();

    /// <summary>Runs the clean-up now; answers how many rows it removed.</summary>
    [Alias("Purge")]
    Task<long> PurgeAsync();
}
