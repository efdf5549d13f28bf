namespace OwlFactory.Agent.Platform;

/// <summary>One GPU in a heartbeat; memory in GiB, usage in percent, temperature in °C.</summary>
internal sealed record GpuReport(int GpuId, string Name, double Usage, double MemoryUsed, double MemoryTotal, int Temperature);
