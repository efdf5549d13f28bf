namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>A server as lists and the cluster overview show it: registration, status and the latest telemetry.</summary>
[GenerateSerializer, Alias("owl.ServerSummary")]
public sealed record ServerSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Host,
    [property: Id(3)] string Status,
    [property: Id(4)] int CurrentTasks,
    [property: Id(5)] int MaxConcurrentTasks,
    [property: Id(6)] decimal TotalMemory,
    [property: Id(7)] double UsedMemory,
    [property: Id(8)] int GpuCount,
    [property: Id(9)] double CpuUsage,
    [property: Id(10)] double MemoryUsage,
    [property: Id(11)] double GpuUsage,
    [property: Id(12)] int BusyGpus,
    [property: Id(13)] DateTime? LastHeartbeat,
    [property: Id(14)] string? Description,
    [property: Id(15)] DateTime CreatedAt,
    [property: Id(16)] DateTime UpdatedAt);
