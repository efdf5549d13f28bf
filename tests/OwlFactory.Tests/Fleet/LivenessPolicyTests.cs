using OwlFactory.GrainInterfaces.Fleet;
using OwlFactory.Grains.Fleet;

namespace OwlFactory.Tests.Fleet;

/// <summary>When a server is online, suspect or offline: the rule alone, no cluster.</summary>
public sealed class LivenessPolicyTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(5, 30, 30)]
    [InlineData(5, 3, 11)]
    [InlineData(5, 11, 11)]
    [InlineData(1, 0, 3)]
    public void For_ConfiguredTimeout_NeverBelowTwoIntervalsAndASecond(int interval, int configured, int expected)
        => Assert.Equal(TimeSpan.FromSeconds(expected), LivenessPolicy.For(interval, configured).Timeout);

    [Theory]
    [InlineData(0, 2500)]
    [InlineData(10_000, 2500)]
    [InlineData(28_000, 2020)]
    [InlineData(29_900, 120)]
    [InlineData(30_000, 20)]
    [InlineData(31_000, 2500)]
    public void NextCheck_TheTimeoutFallingBeforeTheNextPeriod_IsCheckedJustAfterIt(int silenceMs, int expectedMs)
        => Assert.Equal(TimeSpan.FromMilliseconds(expectedMs),
            LivenessPolicy.For(5, 30).NextCheck(TimeSpan.FromMilliseconds(silenceMs), TimeSpan.FromMilliseconds(2500)));

    [Fact]
    public void HasTimedOut_NeverSeen_True()
        => Assert.True(LivenessPolicy.For(5, 30).HasTimedOut(null, Now));

    [Fact]
    public void HasTimedOut_SeenExactlyTheTimeoutAgo_False_ThenAMillisecondLater_True()
    {
        var policy = LivenessPolicy.For(5, 30);

        Assert.False(policy.HasTimedOut(Now.AddSeconds(-30), Now));
        Assert.True(policy.HasTimedOut(Now.AddSeconds(-30).AddMilliseconds(-1), Now));
    }

    [Fact]
    public void IsSuspect_BetweenTwoIntervalsAndTheTimeout_OnlyThere()
    {
        var policy = LivenessPolicy.For(5, 30);

        Assert.False(policy.IsSuspect(TimeSpan.FromSeconds(10)));
        Assert.True(policy.IsSuspect(TimeSpan.FromSeconds(10.001)));
        Assert.True(policy.IsSuspect(TimeSpan.FromSeconds(30)));
        Assert.False(policy.IsSuspect(TimeSpan.FromSeconds(30.001)));
    }

    [Fact]
    public void StatusOf_Maintenance_WinsOverEverything()
        => Assert.Equal(ServerStatus.Maintenance, LivenessPolicy.For(5, 30).StatusOf(true, null, Now, 0, 1));

    [Fact]
    public void StatusOf_TimedOut_Offline_EvenWithFreeSlots()
        => Assert.Equal(ServerStatus.Offline, LivenessPolicy.For(5, 30).StatusOf(false, Now.AddMinutes(-1), Now, 0, 4));

    [Theory]
    [InlineData(0, 2, ServerStatus.Online)]
    [InlineData(1, 2, ServerStatus.Online)]
    [InlineData(2, 2, ServerStatus.Busy)]
    [InlineData(3, 2, ServerStatus.Busy)]
    public void StatusOf_Seen_BusyOnlyWhenEverySlotIsHeld(int held, int max, string expected)
        => Assert.Equal(expected, LivenessPolicy.For(5, 30).StatusOf(false, Now.AddSeconds(-1), Now, held, max));
}
