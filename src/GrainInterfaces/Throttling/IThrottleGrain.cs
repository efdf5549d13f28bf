namespace OwlFactory.GrainInterfaces.Throttling;

/// <summary>
/// A sliding-window counter shared by every API host. Key: <c>{bucket}:{client}</c>, for example
/// <c>login-failure:203.0.113.7</c>. Counts live in memory: a throttle that forgets after a silo restart is acceptable.
/// </summary>
[Alias("owl.IThrottleGrain")]
public interface IThrottleGrain : IGrainWithStringKey
{
    /// <summary>True when <paramref name="limit"/> events have been recorded within the last <paramref name="windowSeconds"/>.</summary>
    [Alias("IsExhausted")]
    Task<bool> IsExhaustedAsync(int limit, int windowSeconds);

    /// <summary>Records one event.</summary>
    [NotIdempotent, Alias("Record")]
    Task RecordAsync(int windowSeconds);

    /// <summary>Records one event unless the limit is reached; true when it was recorded.</summary>
    [Alias("TryAcquire")]
    Task<bool> TryAcquireAsync(int limit, int windowSeconds);
}
