using Microsoft.Extensions.Time.Testing;
using OwlFactory.Grains.Fleet;

namespace OwlFactory.Tests.Fleet;

/// <summary>When a server with free slots asks the queue for work, on a fake clock.</summary>
public sealed class ClaimPacerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ClaimPacer _pacer;

    public ClaimPacerTests() => _pacer = new ClaimPacer(_clock);

    private static int NoCredits(int wanted) => 0;

    [Fact]
    public void Allowed_TheFirstClaim_TakesAllItWants()
        => Assert.Equal(3, _pacer.Allowed(3, generation: 1, NoCredits));

    [Fact]
    public void Allowed_AfterAClaimThatCameBackShort_OnlyWhatTheCreditsAllow()
    {
        _pacer.Claiming(1);
        _pacer.Claimed(claimed: 1, asked: 3);

        Assert.Equal(0, _pacer.Allowed(2, generation: 1, NoCredits));
        Assert.Equal(1, _pacer.Allowed(2, generation: 1, wanted => Math.Min(wanted, 1)));
    }

    [Fact]
    public void Allowed_AfterAClaimThatTookAllItAskedFor_AllAgain()
    {
        _pacer.Claiming(1);
        _pacer.Claimed(claimed: 3, asked: 3);

        Assert.Equal(2, _pacer.Allowed(2, generation: 1, NoCredits));
    }

    [Fact]
    public void Allowed_ANewQueueGeneration_AllAgain()
    {
        _pacer.Claiming(1);
        _pacer.Claimed(claimed: 0, asked: 3);

        Assert.Equal(3, _pacer.Allowed(3, generation: 2, NoCredits));
    }

    [Fact]
    public void Allowed_OnceTheSafetyIntervalPassed_AllAgain()
    {
        _pacer.Claiming(1);
        _pacer.Claimed(claimed: 0, asked: 3);

        _clock.Advance(FleetTimings.SafetyClaimInterval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _pacer.Allowed(3, generation: 1, NoCredits));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, _pacer.Allowed(3, generation: 1, NoCredits));
    }
}
