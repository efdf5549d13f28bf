using Orleans.Concurrency;

namespace OwlFactory.GrainInterfaces.Throttling;

/// <summary>
/// A sliding-window limit shared by every API host. Key: <c>{bucket}:{client}</c>, for example
/// <c>login-failure:203.0.113.7</c>. Each decision is one grain call that checks and counts together, so parallel
/// requests cannot all pass a check before any of them is counted. Failures are kept in grain storage and survive a
/// silo restart; registrations are counted in memory only (a restart forgets at most one window of them).
/// </summary>
[Alias("owl.IThrottleGrain")]
public interface IThrottleGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts one attempt (a login, a redemption) unless the failures within the window plus the attempts still in
    /// flight reach <paramref name="limit"/>; true when the attempt may go ahead. Every true must be followed by
    /// <see cref="EndAttemptAsync"/> (a failure) or <see cref="ReleaseAttemptAsync"/> (a success).
    /// </summary>
    [Alias("TryBeginAttempt")]
    Task<bool> TryBeginAttemptAsync(int limit, int windowSeconds);

    /// <summary>Ends an attempt: a failure is counted (and stored) before this answers; a success frees its place.</summary>
    [NotIdempotent, Alias("EndAttempt")]
    Task EndAttemptAsync(bool failed, int windowSeconds);

    /// <summary>
    /// Ends an attempt that succeeded: its place is freed, and the caller does not wait. Until the message arrives the
    /// attempt still counts as in flight, so a late arrival can only make the limit stricter for a moment, never looser.
    /// </summary>
    [OneWay, NotIdempotent, Alias("ReleaseAttempt")]
    Task ReleaseAttemptAsync();

    /// <summary>Records one event unless the limit is reached; true when it was recorded.</summary>
    [Alias("TryAcquire")]
    Task<bool> TryAcquireAsync(int limit, int windowSeconds);
}
