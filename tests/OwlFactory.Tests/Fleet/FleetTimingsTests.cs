using OwlFactory.Grains.Fleet;

namespace OwlFactory.Tests.Fleet;

public sealed class FleetTimingsTests
{
    [Theory]
    [InlineData(0, 4, 0)]
    [InlineData(1, 4, 12.5)]
    [InlineData(4, 4, 50)]
    [InlineData(1, 0, 50)]
    public void ClaimDelay_InProportionToHowFullTheServerIs(int held, int max, double expectedMs)
        => Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), FleetTimings.ClaimDelay(held, max));

    [Theory]
    [InlineData(5, 2.5)]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    public void LivenessCheckPeriod_TwicePerInterval_AtMostOnceASecond(int interval, double expectedSeconds)
        => Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), FleetTimings.LivenessCheckPeriod(interval));
}
