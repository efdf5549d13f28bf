using System.Collections.Immutable;

namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>
/// What a heartbeat tells the server's grain for dispatch: how long the agent will wait for work, the task types it
/// runs and the tasks it is running now.
/// </summary>
[GenerateSerializer, Alias("owl.AgentPoll")]
public sealed record AgentPoll(
    [property: Id(0)] TimeSpan Wait,
    [property: Id(1)] ImmutableArray<string> TaskTypes,
    [property: Id(2)] ImmutableArray<Guid> RunningTaskIds);
