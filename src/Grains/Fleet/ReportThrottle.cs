namespace OwlFactory.Grains.Fleet;

/// <summary>
/// How often a server reports to the fleet directory: a change of status or slots at once, telemetry figures at most
/// once per <paramref name="interval"/> (the rest wait for the next urgent report or the liveness timer), so the
/// directory is not sent every heartbeat of every server.
/// </summary>
internal sealed class ReportThrottle(TimeProvider clock, TimeSpan interval)
{
    private DateTime _sentAt;

    /// <summary>A report was held back and is still owed.</summary>
    public bool Due { get; private set; }

    /// <summary>Whether to send a report now; a refused one is remembered as <see cref="Due"/>.</summary>
    public bool TrySend(bool urgent)
    {
        var now = clock.UtcNowMilliseconds();
        if (!urgent && now - _sentAt < interval)
        {
            Due = true;
            return false;
        }

        _sentAt = now;
        Due = false;
        return true;
    }
}
