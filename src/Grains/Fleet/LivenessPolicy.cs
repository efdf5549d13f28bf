using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.Grains.Fleet;

/// <summary>
/// Liveness: when a GPU server counts as online, suspect or offline. A server is reachable while its agent was seen
/// within the heartbeat timeout; silent for more than two intervals it is suspect (noted, nothing moves); silent past
/// the timeout it is offline and the tasks it held are lost. The timeout is the live config's
/// heartbeat_timeout_seconds, never below two intervals and a second: one late heartbeat must not count as lost.
/// </summary>
internal readonly record struct LivenessPolicy(TimeSpan Interval, TimeSpan Timeout)
{
    /// <summary>The policy in force for a heartbeat interval and a configured timeout (both in seconds).</summary>
    public static LivenessPolicy For(int heartbeatIntervalSeconds, int heartbeatTimeoutSeconds)
        => new(TimeSpan.FromSeconds(heartbeatIntervalSeconds),
            TimeSpan.FromSeconds(Math.Max(heartbeatTimeoutSeconds, 2 * heartbeatIntervalSeconds + 1)));

    /// <summary>Not seen at all, or not within the timeout.</summary>
    public bool HasTimedOut(DateTime? lastSeen, DateTime now) => lastSeen is not { } seen || now - seen > Timeout;

    /// <summary>
    /// When the liveness check should next look, after <paramref name="silence"/> so far: its usual
    /// <paramref name="period"/>, or sooner when the timeout falls before that, just after it, so a silent server goes
    /// offline at its timeout rather than up to a period later.
    /// </summary>
    public TimeSpan NextCheck(TimeSpan silence, TimeSpan period)
    {
        var untilTimeout = Timeout - silence;
        return untilTimeout >= TimeSpan.Zero && untilTimeout < period ? untilTimeout + PastTheTimeout : period;
    }

    // How long after the timeout the early check looks: HasTimedOut needs the silence to be past the timeout.
    private static readonly TimeSpan PastTheTimeout = TimeSpan.FromMilliseconds(20);

    /// <summary>Silent for more than two intervals, but not yet past the timeout.</summary>
    public bool IsSuspect(TimeSpan silence) => silence > 2 * Interval && silence <= Timeout;

    /// <summary>The status a server shows: maintenance (an admin's flag) first, then offline, busy (no free slot) or online.</summary>
    public string StatusOf(bool maintenance, DateTime? lastSeen, DateTime now, int heldTasks, int maxConcurrentTasks)
        => maintenance ? ServerStatus.Maintenance
            : HasTimedOut(lastSeen, now) ? ServerStatus.Offline
            : heldTasks >= maxConcurrentTasks ? ServerStatus.Busy
            : ServerStatus.Online;
}
