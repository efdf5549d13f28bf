namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>A task the agent must start (repeated on each heartbeat until it calls /start).</summary>
[GenerateSerializer, Alias("owl.AgentAssignment")]
public sealed record AgentAssignment(
    [property: Id(0)] Guid TaskId,
    [property: Id(1)] string TaskType,
    [property: Id(2)] string Title,
    [property: Id(3)] string ConfigJson,
    [property: Id(4)] int Attempt,
    [property: Id(5)] int TimeoutSeconds);
