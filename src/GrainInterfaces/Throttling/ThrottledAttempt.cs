namespace OwlFactory.GrainInterfaces.Throttling;

/// <summary>
/// A place taken in a throttle: end it once with the outcome. A failure is counted before the answer leaves; a success
/// only frees the place, by a message not waited for. Taken by the API host (logins) and by a code's grain
/// (redemptions).
/// </summary>
public sealed class ThrottledAttempt
{
    private readonly IThrottleGrain _grain;
    private readonly int _windowSeconds;
    private bool _ended;

    private ThrottledAttempt(IThrottleGrain grain, int windowSeconds)
    {
        _grain = grain;
        _windowSeconds = windowSeconds;
    }

    /// <summary>Takes a place in <paramref name="grain"/>, or null when its failures and places in flight reach <paramref name="limit"/>.</summary>
    public static async Task<ThrottledAttempt?> BeginAsync(IThrottleGrain grain, int limit, int windowSeconds)
        => await grain.TryBeginAttemptAsync(limit, windowSeconds) ? new ThrottledAttempt(grain, windowSeconds) : null;

    public Task EndAsync(bool failed)
    {
        if (_ended)
        {
            return Task.CompletedTask;
        }

        _ended = true;
        return failed ? _grain.EndAttemptAsync(failed: true, _windowSeconds) : _grain.ReleaseAttemptAsync();
    }
}
