namespace OwlFactory.ApiHost.Fleet;

public sealed record AgentLogLine(DateTime? Ts, string? Level, string? Message);
