namespace OwlFactory.Agent.Platform;

internal sealed record ProgressRequest(double Progress);
