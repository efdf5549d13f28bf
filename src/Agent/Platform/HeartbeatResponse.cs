namespace OwlFactory.Agent.Platform;

/// <summary>The <c>data</c> of the heartbeat's answer.</summary>
internal sealed record HeartbeatResponse(
    double? HeartbeatIntervalSeconds,
    IReadOnlyList<TaskAssignment>? Assignments,
    IReadOnlyList<string>? Cancel);
