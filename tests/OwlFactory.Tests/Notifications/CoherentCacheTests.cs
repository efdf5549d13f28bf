using Microsoft.Extensions.Time.Testing;
using OwlFactory.Database.Notifications;

namespace OwlFactory.Tests.Notifications;

/// <summary>What an API host may keep of a session, and when it must read it again: no cluster, no database.</summary>
public sealed class CoherentCacheTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly CoherentCache<int, string> _cache;

    public CoherentCacheTests()
    {
        _cache = new CoherentCache<int, string>(_clock, TimeSpan.FromMinutes(1), capacity: 3);
        _cache.GoLive();
    }

    [Fact]
    public void Keep_ThenFind_ServesTheValue_UntilItsChangeIsHeard()
    {
        _cache.Keep(1, "v5", version: 5, _cache.BeginRead());
        Assert.Equal("v5", _cache.Find(1));

        _cache.Changed(1, 6);

        Assert.Null(_cache.Find(1));
    }

    [Fact]
    public void Keep_OfAReadThatBeganBeforeAChange_IsNotKept()
    {
        var ticket = _cache.BeginRead();
        _cache.Changed(1, 5);
        _cache.Keep(1, "read before the change", version: 5, ticket);

        Assert.Null(_cache.Find(1));
    }

    [Fact]
    public void Keep_OfAnOlderVersionThanTheChangeHeard_IsNotKept()
    {
        // The announcement comes at the commit, before the owner's memory moves: a read right after it is still old.
        _cache.Changed(1, 6);
        _cache.Keep(1, "v5", version: 5, _cache.BeginRead());
        Assert.Null(_cache.Find(1));

        _cache.Keep(1, "v6", version: 6, _cache.BeginRead());
        Assert.Equal("v6", _cache.Find(1));
    }

    [Fact]
    public void Keep_OfAStaleReadAfterAFresherOne_DoesNotReplaceIt()
    {
        var early = _cache.BeginRead();
        _cache.Changed(1, 5);
        _cache.Keep(1, "fresh", version: 5, _cache.BeginRead());

        _cache.Keep(1, "stale", version: 5, early);

        Assert.Equal("fresh", _cache.Find(1));
    }

    [Fact]
    public void ChangedHere_WithNoVersion_DropsTheValue_AndKeepsTheVersionFloor()
    {
        _cache.Keep(1, "v5", version: 5, _cache.BeginRead());
        _cache.Changed(1, 6);
        _cache.Changed(1, 0);

        _cache.Keep(1, "v5 again", version: 5, _cache.BeginRead());

        Assert.Null(_cache.Find(1));
    }

    [Fact]
    public void GoDark_ServesAndKeepsNothing_AndGoLiveDropsWhatReadsInFlightBring()
    {
        _cache.Keep(1, "v5", version: 5, _cache.BeginRead());
        var inFlight = _cache.BeginRead();

        _cache.GoDark();
        Assert.False(_cache.IsLive);
        Assert.Null(_cache.Find(1));
        _cache.Keep(2, "while dark", version: 1, _cache.BeginRead());

        _cache.GoLive();
        _cache.Keep(3, "began before", version: 1, inFlight);
        Assert.Null(_cache.Find(1));
        Assert.Null(_cache.Find(2));
        Assert.Null(_cache.Find(3));
    }

    [Fact]
    public void ChangedAll_DropsEverything_AndReadsInFlight()
    {
        _cache.Keep(1, "a", version: 1, _cache.BeginRead());
        var inFlight = _cache.BeginRead();

        _cache.ChangedAll();
        _cache.Keep(2, "b", version: 1, inFlight);

        Assert.Null(_cache.Find(1));
        Assert.Null(_cache.Find(2));
        Assert.True(_cache.IsLive);
    }

    [Fact]
    public void Find_AfterMaxAge_ReadsAgain()
    {
        _cache.Keep(1, "v5", version: 5, _cache.BeginRead());
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("v5", _cache.Find(1));

        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Null(_cache.Find(1));
    }

    [Fact]
    public void Sweep_ForgetsOldTombstones_AndEverythingPastCapacity()
    {
        _cache.Changed(1, 5);
        _clock.Advance(TimeSpan.FromSeconds(31));
        _cache.Sweep(TimeSpan.FromSeconds(30));
        // The tombstone is gone: a read of version 4 is kept again (no read in flight is that old).
        _cache.Keep(1, "v4", version: 4, _cache.BeginRead());
        Assert.Equal("v4", _cache.Find(1));

        for (var key = 2; key <= 4; key++)
        {
            _cache.Keep(key, "x", version: 1, _cache.BeginRead());
        }

        _cache.Sweep(TimeSpan.FromSeconds(30));

        Assert.Equal(0, _cache.Count);
    }
}
