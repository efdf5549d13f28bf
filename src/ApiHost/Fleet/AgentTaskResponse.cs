namespace OwlFactory.ApiHost.Fleet;

public sealed record AgentTaskResponse(Guid TaskId);
