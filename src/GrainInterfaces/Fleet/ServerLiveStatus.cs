using System.Collections.Immutable;

namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>A server's real-time status: the latest telemetry as <c>GET /api/gpu/servers/{id}/status</c> shows it.</summary>
[GenerateSerializer, Alias("owl.ServerLiveStatus")]
public sealed record ServerLiveStatus(
    [property: Id(0)] Guid ServerId,
    [property: Id(1)] string Status,
    [property: Id(2)] double CpuUsage,
    [property: Id(3)] double MemoryUsage,
    [property: Id(4)] ImmutableArray<GpuSample> Gpus,
    [property: Id(5)] ImmutableArray<RunningTaskProgress> RunningTasks,
    [property: Id(6)] DateTime? Timestamp);
