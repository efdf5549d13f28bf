namespace OwlFactory.ApiHost.Fleet;

public sealed record HeartbeatTask(Guid TaskId, double Progress);
