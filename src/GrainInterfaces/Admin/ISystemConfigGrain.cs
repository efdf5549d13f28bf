using Orleans.Concurrency;

namespace OwlFactory.GrainInterfaces.Admin;

/// <summary>
/// The one copy of the live configuration. Key: 0. Every silo and API host keeps a local copy that it refreshes
/// with <see cref="WaitForChangeAsync"/> (a long poll), so a change is in force everywhere within a second and
/// nothing on a request path calls this grain.
/// </summary>
[Alias("owl.ISystemConfigGrain")]
public interface ISystemConfigGrain : IGrainWithIntegerKey
{
    [AlwaysInterleave, Alias("Get")]
    Task<SystemConfig> GetAsync();

    [Alias("Update")]
    Task<SystemConfig> UpdateAsync(SystemConfigChange change, Guid updatedBy);

    /// <summary>Answers as soon as the version differs from <paramref name="knownVersion"/>, or after <paramref name="maxWait"/> with the current config.</summary>
    [ResponseTimeout("00:00:30")]
    [AlwaysInterleave, Alias("WaitForChange")]
    Task<SystemConfig> WaitForChangeAsync(long knownVersion, TimeSpan maxWait);
}
