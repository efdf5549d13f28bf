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

    /// <summary>Silent for more than two intervals, but not yet past the timeout.</summary>
    public bool IsSuspect(TimeSpan silence) => silence > 2 * Interval && silence <= Timeout;

    /// <summary>The status a server shows: maintenance (an admin's flag) first, then offline, busy (no free slot) or online.</summary>
    public string StatusOf(bool maintenance, DateTime? lastSeen, DateTime now, int heldTasks, int maxConcurrentTasks)
        => maintenance ? ServerStatus.Maintenance
            : HasTimedOut(lastSeen, now) ? ServerStatus.Offline
            : heldTasks >= maxConcurrentTasks ? ServerStatus.Busy
            : ServerStatus.Online;
}
