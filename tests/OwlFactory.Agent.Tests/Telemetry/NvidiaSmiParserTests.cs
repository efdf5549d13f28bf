using OwlFactory.Agent.Telemetry;

namespace OwlFactory.Agent.Tests.Telemetry;

public sealed class NvidiaSmiParserTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    [Fact]
    public void Parse_EightH100Box_ReturnsEightGpusWithMemoryInGiB()
    {
        var gpus = NvidiaSmiParser.Parse(Sample("h100-8x.csv"));

        Assert.Equal(8, gpus.Count);
        Assert.Equal(Enumerable.Range(0, 8), gpus.Select(g => g.Index));
        Assert.All(gpus, g => Assert.Equal("NVIDIA H100 80GB HBM3", g.Name));
        Assert.All(gpus, g => Assert.Equal(79.65, g.MemoryTotalGiB)); // 81559 MiB
        var first = gpus[0];
        Assert.Equal(97, first.Utilization);
        Assert.Equal(63.9, first.MemoryUsedGiB); // 65432 MiB = 63.898 GiB
        Assert.Equal(64, first.Temperature);
        Assert.Equal(78.0, gpus[1].MemoryUsedGiB); // 79871 MiB = 77.999 GiB
        Assert.Equal(0.0, gpus[2].MemoryUsedGiB); // 1 MiB
        Assert.Equal(20.0, gpus[4].MemoryUsedGiB);
        Assert.Equal(0.5, gpus[7].MemoryUsedGiB);
        Assert.Equal(35, gpus[7].Temperature);
    }

    [Fact]
    public void Parse_SingleRtx4090_KeepsNameWithSpacesAndConvertsMemory()
    {
        var gpu = Assert.Single(NvidiaSmiParser.Parse(Sample("rtx4090-1x.csv")));

        Assert.Equal(new GpuSample(0, "NVIDIA GeForce RTX 4090", 23, 1.4, 23.99, 48), gpu);
    }

    [Fact]
    public void Parse_NotAvailableAndNotSupportedValues_GivesNullsAndSkipsBlankLines()
    {
        var gpus = NvidiaSmiParser.Parse(Sample("na-values.csv"));

        Assert.Equal(3, gpus.Count);
        Assert.Equal(new GpuSample(0, "NVIDIA A100-SXM4-40GB", null, 0, 40, 30), gpus[0]);
        Assert.Equal(new GpuSample(1, "NVIDIA GeForce GTX 1650", null, 0.3, 4, null), gpus[1]);
        Assert.Equal(new GpuSample(2, "GRID T4-16Q", 5, null, null, null), gpus[2]);
    }

    [Fact]
    public void Parse_DriverErrorMessage_ReturnsNoGpus()
    {
        Assert.Empty(NvidiaSmiParser.Parse(Sample("driver-failed.txt")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("0, NVIDIA H100, 5")]
    [InlineData("x, NVIDIA H100, 5, 1, 2, 3")]
    public void Parse_EmptyOrMalformedLine_ReturnsNoGpus(string csv)
    {
        Assert.Empty(NvidiaSmiParser.Parse(csv));
    }

    [Fact]
    public void Parse_NameContainingComma_KeepsWholeName()
    {
        var gpu = Assert.Single(NvidiaSmiParser.Parse("3, Odd, Name GPU, 50, 2048, 4096, 40.6\n"));

        Assert.Equal(new GpuSample(3, "Odd, Name GPU", 50, 2, 4, 41), gpu);
    }
}
