namespace OwlFactory.Grains.Fleet;

/// <summary>
/// When a server's agent was last seen: its newest telemetry sample or its last poll, whichever is later. A
/// heartbeat's poll reaches the grain before its sample, and either proves the agent alive. A poll held in the grain
/// counts as seen for as long as it is held; the silence after it starts when it is answered, not when it was sent.
/// </summary>
internal sealed class AgentPresence(TimeProvider clock)
{
    private DateTime? _lastPollAt;
    private int _held;
    private bool _suspect;

    /// <summary>The agent called (its token checked).</summary>
    public void Called() => _lastPollAt = Now();

    /// <summary>A poll is held in the grain from now until <see cref="PollAnswered"/>.</summary>
    public void PollHeld() => _held++;

    public void PollAnswered()
    {
        _held--;
        _lastPollAt = Now();
    }

    /// <summary>A sample newer than the latest arrived: the agent is no longer suspect.</summary>
    public void SampleTaken() => _suspect = false;

    /// <summary>When the agent was last seen, given the timestamp of its newest sample; null when never.</summary>
    public DateTime? LastSeen(DateTime? newestSample)
        => _held > 0 ? Now()
            : newestSample is not { } sample ? _lastPollAt
            : _lastPollAt is { } poll && poll > sample ? poll : sample;

    /// <summary>True once per silence: when <paramref name="silence"/> first makes the agent suspect under <paramref name="policy"/>.</summary>
    public bool TurnsSuspect(LivenessPolicy policy, TimeSpan silence)
    {
        if (_suspect || !policy.IsSuspect(silence))
        {
            return false;
        }

        _suspect = true;
        return true;
    }

    private DateTime Now() => clock.UtcNowMilliseconds();
}
