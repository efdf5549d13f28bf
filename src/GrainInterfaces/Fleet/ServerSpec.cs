namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>What an admin registers or changes about a server.</summary>
[GenerateSerializer, Alias("owl.ServerSpec")]
public sealed record ServerSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string Host,
    [property: Id(2)] int GpuCount,
    [property: Id(3)] int MaxConcurrentTasks,
    [property: Id(4)] decimal TotalMemory,
    [property: Id(5)] string? Description);
