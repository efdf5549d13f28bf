using OwlFactory.GrainInterfaces.Fleet;
using OwlFactory.Grains.Fleet;

namespace OwlFactory.Tests.Fleet;

/// <summary>A server's telemetry in memory: the samples' own timestamps are the clock.</summary>
public sealed class TelemetryHistoryTests
{
    private static readonly DateTime Start = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static GpuTelemetry Sample(DateTime at, double cpu = 10)
        => new(Guid.Empty, at, "1.0.0", ["test"], cpu, 20, [], []);

    [Fact]
    public void Take_ANewerSample_BecomesTheLatest()
    {
        var history = new TelemetryHistory(60);

        Assert.True(history.Take(Sample(Start)));
        Assert.True(history.Take(Sample(Start.AddSeconds(5), cpu: 42)));

        Assert.Equal(42, history.Latest!.CpuUsage);
    }

    [Fact]
    public void Take_SamplesFasterThanOneASecond_KeepAtMostOneMinuteOfThemPerMinuteOfHistory()
    {
        var history = new TelemetryHistory(1);

        // Twenty seconds of samples every 100 ms: two hundred, of which a one-minute history keeps the newest sixty.
        for (var i = 0; i < 200; i++)
        {
            Assert.True(history.Take(Sample(Start.AddMilliseconds(100 * i), cpu: i)));
        }

        var kept = history.Since(DateTime.MinValue);
        Assert.Equal(60, kept.Length);
        Assert.Equal(140, kept[0].CpuUsage);
        Assert.Equal(199, history.Latest!.CpuUsage);
    }

    [Fact]
    public void Take_ASampleNotNewerThanTheLatest_ChangesNothing()
    {
        var history = new TelemetryHistory(60);
        history.Take(Sample(Start, cpu: 40));

        Assert.False(history.Take(Sample(Start, cpu: 41)));
        Assert.False(history.Take(Sample(Start.AddSeconds(-5), cpu: 99)));

        Assert.Equal(40, history.Latest!.CpuUsage);
        Assert.Single(history.Since(DateTime.MinValue));
    }

    [Fact]
    public void Take_KeepsOnlyTheLastMinutes_CountedFromTheNewestSample()
    {
        var history = new TelemetryHistory(10);
        for (var minute = 0; minute <= 30; minute++)
        {
            history.Take(Sample(Start.AddMinutes(minute)));
        }

        var kept = history.Since(DateTime.MinValue);

        Assert.Equal(11, kept.Length);
        Assert.Equal(Start.AddMinutes(20), kept[0].Timestamp);
    }

    [Fact]
    public void Since_OldestFirst_FromTheGivenTimeOn()
    {
        var history = new TelemetryHistory(60);
        for (var second = 0; second < 10; second++)
        {
            history.Take(Sample(Start.AddSeconds(second)));
        }

        var since = history.Since(Start.AddSeconds(7));

        Assert.Equal([Start.AddSeconds(7), Start.AddSeconds(8), Start.AddSeconds(9)], since.Select(s => s.Timestamp));
    }
}
