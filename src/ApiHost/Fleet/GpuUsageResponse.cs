using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.ApiHost.Fleet;

public sealed record GpuUsageResponse(int GpuId, string Name, double Usage, double MemoryUsed, double MemoryTotal, double? Temperature)
{
    public static GpuUsageResponse From(GpuSample g) => new(g.GpuId, g.Name, g.Usage, g.MemoryUsed, g.MemoryTotal, g.Temperature);
}
