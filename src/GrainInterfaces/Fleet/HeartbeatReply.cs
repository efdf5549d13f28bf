using System.Collections.Immutable;

namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>What an agent is told after a heartbeat: how often to call, what to start, what to stop.</summary>
[GenerateSerializer, Alias("owl.HeartbeatReply")]
public sealed record HeartbeatReply(
    [property: Id(0)] int HeartbeatIntervalSeconds,
    [property: Id(1)] ImmutableArray<AgentAssignment> Assignments,
    [property: Id(2)] ImmutableArray<Guid> Cancel);
