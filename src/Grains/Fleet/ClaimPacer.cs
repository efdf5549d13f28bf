namespace OwlFactory.Grains.Fleet;

/// <summary>
/// When a server with free slots asks the queue for work. It claims all it wants when there is a reason to: news of
/// the queue since its last claim (a new <see cref="Tasks.QueueSignal"/> generation: a reconnect may have missed enqueues),
/// a last claim that took all it asked for (there may be more), or the periodic safety claim. Otherwise it claims only
/// what the enqueues heard for its types allow (credits shared by the silo's servers), and PostgreSQL is not asked
/// for nothing.
/// </summary>
internal sealed class ClaimPacer(TimeProvider clock)
{
    private long? _claimedAtGeneration;
    private bool _lastClaimFull;
    private DateTime _nextSafetyClaim;

    /// <summary>How many of <paramref name="wanted"/> to claim now; <paramref name="takeCredits"/> takes up to that many credits.</summary>
    public int Allowed(int wanted, long generation, Func<int, int> takeCredits)
        => generation != _claimedAtGeneration || _lastClaimFull || Now() >= _nextSafetyClaim ? wanted : takeCredits(wanted);

    /// <summary>A claim is sent now, at the queue's <paramref name="generation"/>.</summary>
    public void Claiming(long generation)
    {
        _claimedAtGeneration = generation;
        _nextSafetyClaim = Now() + FleetTimings.SafetyClaimInterval;
    }

    /// <summary>The claim came back with <paramref name="claimed"/> of the <paramref name="asked"/> tasks.</summary>
    public void Claimed(int claimed, int asked) => _lastClaimFull = claimed == asked;

    private DateTime Now() => clock.UtcNowMilliseconds();
}
