using OwlFactory.Agent.Telemetry;

namespace OwlFactory.Agent.Tests.Telemetry;

public sealed class HostUsageParsingTests
{
    private const string ProcStat = """
        cpu  1000 0 500 8000 500 0 0 0 0 0
        cpu0 500 0 250 4000 250 0 0 0 0 0
        intr 12345
        """;

    [Fact]
    public void CpuTimesParse_ProcStat_SumsTotalAndIdleWithIowait()
    {
        var times = CpuTimes.Parse(ProcStat);

        Assert.Equal(new CpuTimes(10_000, 8_500), times);
    }

    [Fact]
    public void UsageSince_TwoReadings_IsBusyShareOfTheDelta()
    {
        var before = new CpuTimes(10_000, 8_500);
        var after = new CpuTimes(11_000, 8_750); // 1000 ticks, 250 idle

        Assert.Equal(75, after.UsageSince(before), 3);
        Assert.Equal(15, before.UsageSince(null), 3);
        Assert.Equal(0, before.UsageSince(before));
    }

    [Fact]
    public void ParseUsagePercent_MemInfo_UsesMemAvailable()
    {
        const string MemInfoText = """
            MemTotal:       32000000 kB
            MemFree:         1000000 kB
            MemAvailable:   24000000 kB
            Buffers:          100000 kB
            """;

        Assert.Equal(25, MemInfo.ParseUsagePercent(MemInfoText)!.Value, 3);
        Assert.Null(MemInfo.ParseUsagePercent("MemTotal: 100 kB\n"));
    }

    [Fact]
    public void TryRead_ThisLinuxHost_GivesPercentages()
    {
        if (!File.Exists("/proc/stat"))
        {
            return;
        }

        var reader = new HostUsageReader();
        reader.TryRead();
        var sample = reader.TryRead();

        Assert.NotNull(sample);
        Assert.InRange(sample.CpuUsage, 0, 100);
        Assert.InRange(sample.MemoryUsage, 0.1, 100);
    }
}
