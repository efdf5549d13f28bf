namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>One GPU in a heartbeat. Memory in GiB, usage in percent.</summary>
[GenerateSerializer, Alias("owl.GpuSample")]
public sealed record GpuSample(
    [property: Id(0)] int GpuId,
    [property: Id(1)] string Name,
    [property: Id(2)] double Usage,
    [property: Id(3)] double MemoryUsed,
    [property: Id(4)] double MemoryTotal,
    [property: Id(5)] double? Temperature);
