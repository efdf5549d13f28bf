namespace OwlFactory.GrainInterfaces.Fleet;

[GenerateSerializer, Alias("owl.RunningTaskProgress")]
public sealed record RunningTaskProgress([property: Id(0)] Guid TaskId, [property: Id(1)] double Progress);
