using System.Collections.Immutable;

namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>
/// One heartbeat's telemetry: handed to the server's grain by the heartbeat call, and published by that grain on the
/// server's stream (<see cref="FleetStreams.Telemetry"/>, keyed by server id) while someone watches it live.
/// </summary>
[GenerateSerializer, Alias("owl.GpuTelemetry")]
public sealed record GpuTelemetry(
    [property: Id(0)] Guid ServerId,
    [property: Id(1)] DateTime Timestamp,
    [property: Id(2)] string AgentVersion,
    [property: Id(3)] ImmutableArray<string> TaskTypes,
    [property: Id(4)] double CpuUsage,
    [property: Id(5)] double MemoryUsage,
    [property: Id(6)] ImmutableArray<GpuSample> Gpus,
    [property: Id(7)] ImmutableArray<RunningTaskProgress> RunningTasks)
{
    public double UsedMemory => Gpus.Sum(g => g.MemoryUsed);

    public double AverageGpuUsage => Gpus.IsDefaultOrEmpty ? 0 : Gpus.Average(g => g.Usage);
}
