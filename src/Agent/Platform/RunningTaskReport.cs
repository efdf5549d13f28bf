namespace OwlFactory.Agent.Platform;

internal sealed record RunningTaskReport(string TaskId, double Progress);
