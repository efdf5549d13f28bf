using OwlFactory.Agent.Telemetry;

namespace OwlFactory.Agent.Tests.Telemetry;

public sealed class SimulatedTelemetrySourceTests
{
    [Fact]
    public async Task SampleAsync_BusyGpu_ClimbsWellAboveIdleOnes()
    {
        var source = new SimulatedTelemetrySource(3, new HostUsageReader("/nonexistent"), new Random(42));
        var busy = new HashSet<int> { 1 };
        TelemetrySnapshot snapshot = null!;
        for (var i = 0; i < 20; i++)
        {
            snapshot = await source.SampleAsync(busy, CancellationToken.None);
        }

        Assert.Equal([0, 1, 2], snapshot.Gpus.Select(g => g.Index));
        Assert.All(snapshot.Gpus, g => Assert.Equal("Simulated H100", g.Name));
        Assert.All(snapshot.Gpus, g => Assert.Equal(80.0, g.MemoryTotalGiB));
        Assert.InRange(snapshot.Gpus[1].Utilization!.Value, 75, 100);
        Assert.InRange(snapshot.Gpus[0].Utilization!.Value, 0, 10);
        Assert.True(snapshot.Gpus[1].MemoryUsedGiB > snapshot.Gpus[0].MemoryUsedGiB + 10);
        Assert.True(snapshot.Gpus[1].Temperature > snapshot.Gpus[2].Temperature + 15);
        Assert.InRange(snapshot.Host.CpuUsage, 0, 100);
        Assert.InRange(snapshot.Host.MemoryUsage, 0, 100);
    }

    [Fact]
    public async Task SampleAsync_TwoReadings_MoveSlowly()
    {
        var source = new SimulatedTelemetrySource(1, new HostUsageReader("/nonexistent"), new Random(7));
        var idle = await source.SampleAsync(new HashSet<int>(), CancellationToken.None);
        var firstBusy = await source.SampleAsync(new HashSet<int> { 0 }, CancellationToken.None);

        // One step toward ~92 %: up, but not there yet.
        Assert.InRange(firstBusy.Gpus[0].Utilization!.Value - idle.Gpus[0].Utilization!.Value, 10, 60);
    }
}
