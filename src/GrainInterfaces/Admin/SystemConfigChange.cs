using System.Collections.Immutable;

namespace OwlFactory.GrainInterfaces.Admin;

/// <summary>A partial update: null leaves a key as it is. Validated by the API before it gets here.</summary>
[GenerateSerializer, Alias("owl.SystemConfigChange")]
public sealed record SystemConfigChange(
    [property: Id(0)] int? MaxConcurrentTasksPerUser,
    [property: Id(1)] int? DefaultTaskTimeout,
    [property: Id(2)] bool? MaintenanceMode,
    [property: Id(3)] string? MaintenanceMessage,
    [property: Id(4)] int? HeartbeatTimeoutSeconds,
    [property: Id(5)] ImmutableSortedDictionary<string, decimal>? TaskPrices,
    [property: Id(6)] int? LogRetentionDays);
