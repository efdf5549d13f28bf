using Microsoft.Extensions.Time.Testing;
using OwlFactory.Grains.Fleet;

namespace OwlFactory.Tests.Fleet;

/// <summary>How often a server reports to the fleet directory, on a fake clock.</summary>
public sealed class ReportThrottleTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TrySend_TelemetryWithinTheInterval_IsHeldBackAndOwed_ThenSentOnceTheIntervalPassed()
    {
        var throttle = new ReportThrottle(_clock, TimeSpan.FromSeconds(1));
        Assert.True(throttle.TrySend(urgent: false));

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(throttle.TrySend(urgent: false));
        Assert.True(throttle.Due);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(throttle.TrySend(urgent: false));
        Assert.False(throttle.Due);
    }

    [Fact]
    public void TrySend_Urgent_GoesAtOnce_AndPaysWhatWasOwed()
    {
        var throttle = new ReportThrottle(_clock, TimeSpan.FromSeconds(1));
        throttle.TrySend(urgent: false);
        throttle.TrySend(urgent: false);

        Assert.True(throttle.TrySend(urgent: true));
        Assert.False(throttle.Due);
    }
}
