namespace OwlFactory.Grains.Fleet;

/// <summary>
/// The fixed timings of a GPU server's grain, in one place. What an operator tunes (the heartbeat interval, the
/// history kept) is in <see cref="FleetSettings"/>; the offline timeout is live config (heartbeat_timeout_seconds).
/// </summary>
internal static class FleetTimings
{
    /// <summary>
    /// How long an in-memory slot is trusted before a reconciliation with the tasks table may drop it, and how often
    /// the liveness check reconciles.
    /// </summary>
    public static readonly TimeSpan SlotGrace = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A server with a free slot claims at least this often even when no enqueue was heard (a claim older than 30 s,
    /// whose silo died before assigning it, becomes claimable again without any enqueue).
    /// </summary>
    public static readonly TimeSpan SafetyClaimInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A held poll looks for work at least this often, whatever wakes it (a missed notification, a claim that
    /// expired), so a free slot is filled within this long.
    /// </summary>
    public static readonly TimeSpan PollRecheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a full server waits after hearing of new work before it claims; a server waits in proportion to how
    /// full it is, so the least loaded servers claim first.
    /// </summary>
    public static readonly TimeSpan FullServerClaimDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>How long one WatchAsync keeps the samples flowing on the stream.</summary>
    public static readonly TimeSpan WatchLease = TimeSpan.FromMinutes(1);

    /// <summary>The most often telemetry alone is reported to the fleet directory.</summary>
    public static readonly TimeSpan TelemetryReportInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The durable nudge: after a silo crash this reminder reactivates the grain, whose liveness timer then notices a
    /// silent agent. A minute is the shortest reminder period Orleans allows by default.
    /// </summary>
    public static readonly TimeSpan LivenessReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The liveness timer's first tick after activation or registration.</summary>
    public static readonly TimeSpan LivenessCheckDueTime = TimeSpan.FromSeconds(1);

    /// <summary>The liveness timer checks twice per heartbeat interval, at most once a second.</summary>
    public static TimeSpan LivenessCheckPeriod(int heartbeatIntervalSeconds)
        => TimeSpan.FromSeconds(Math.Max(1, heartbeatIntervalSeconds / 2.0));

    /// <summary>How long a server holding <paramref name="held"/> of <paramref name="max"/> slots waits before it claims.</summary>
    public static TimeSpan ClaimDelay(int held, int max)
        => TimeSpan.FromMilliseconds(FullServerClaimDelay.TotalMilliseconds * held / Math.Max(1, max));
}
