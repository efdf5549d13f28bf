namespace OwlFactory.ApiHost.Fleet;

public sealed record HeartbeatResponse(int HeartbeatIntervalSeconds, IReadOnlyList<AssignmentResponse> Assignments, IReadOnlyList<Guid> Cancel);
