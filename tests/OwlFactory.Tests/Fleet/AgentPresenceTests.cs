using Microsoft.Extensions.Time.Testing;
using OwlFactory.Grains;
using OwlFactory.Grains.Fleet;

namespace OwlFactory.Tests.Fleet;

/// <summary>When an agent was last seen, on a fake clock.</summary>
public sealed class AgentPresenceTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly AgentPresence _presence;

    public AgentPresenceTests() => _presence = new AgentPresence(_clock);

    private DateTime Now => _clock.UtcNowMilliseconds();

    [Fact]
    public void LastSeen_NeverCalledNorSampled_Null()
        => Assert.Null(_presence.LastSeen(null));

    [Fact]
    public void LastSeen_ACall_IsWhenItCame()
    {
        var calledAt = Now;
        _presence.Called();
        _clock.Advance(TimeSpan.FromSeconds(7));

        Assert.Equal(calledAt, _presence.LastSeen(null));
    }

    [Fact]
    public void LastSeen_WhileAPollIsHeld_IsNow()
    {
        _presence.Called();
        _presence.PollHeld();
        _clock.Advance(TimeSpan.FromSeconds(40));

        Assert.Equal(Now, _presence.LastSeen(null));
    }

    [Fact]
    public void LastSeen_AfterThePollIsAnswered_IsWhenItWasAnswered()
    {
        _presence.Called();
        _presence.PollHeld();
        _clock.Advance(TimeSpan.FromSeconds(5));
        var answeredAt = Now;
        _presence.PollAnswered();
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(answeredAt, _presence.LastSeen(null));
    }

    [Fact]
    public void LastSeen_TwoHeldPolls_SeenUntilBothAreAnswered()
    {
        _presence.PollHeld();
        _presence.PollHeld();
        _presence.PollAnswered();
        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(Now, _presence.LastSeen(null));
    }

    [Fact]
    public void LastSeen_ANewerSampleThanTheCall_IsTheSample()
    {
        _presence.Called();
        var sampledAt = Now.AddSeconds(1);

        Assert.Equal(sampledAt, _presence.LastSeen(sampledAt));
    }

    [Fact]
    public void LastSeen_ACallNewerThanTheSample_IsTheCall()
    {
        var sampledAt = Now;
        _clock.Advance(TimeSpan.FromSeconds(5));
        var calledAt = Now;
        _presence.Called();

        Assert.Equal(calledAt, _presence.LastSeen(sampledAt));
    }

    [Fact]
    public void TurnsSuspect_OncePerSilence_AgainAfterAFreshSample()
    {
        var policy = LivenessPolicy.For(5, 30);
        var silence = TimeSpan.FromSeconds(12);

        Assert.True(_presence.TurnsSuspect(policy, silence));
        Assert.False(_presence.TurnsSuspect(policy, silence));

        _presence.SampleTaken();

        Assert.True(_presence.TurnsSuspect(policy, silence));
    }

    [Fact]
    public void TurnsSuspect_ShortSilenceOrPastTheTimeout_False()
    {
        var policy = LivenessPolicy.For(5, 30);

        Assert.False(_presence.TurnsSuspect(policy, TimeSpan.FromSeconds(6)));
        Assert.False(_presence.TurnsSuspect(policy, TimeSpan.FromSeconds(31)));
    }
}
