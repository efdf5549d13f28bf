namespace OwlFactory.ApiHost.Fleet;

public sealed record HeartbeatGpu(int GpuId, string? Name, double Usage, double MemoryUsed, double MemoryTotal, double? Temperature);
