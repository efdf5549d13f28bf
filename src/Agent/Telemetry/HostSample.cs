namespace OwlFactory.Agent.Telemetry;

/// <summary>The host's CPU and memory use, in percent.</summary>
internal sealed record HostSample(double CpuUsage, double MemoryUsage);
