using OwlFactory.GrainInterfaces.Throttling;

namespace OwlFactory.ApiHost.Throttling;

/// <summary>
/// A place taken in a throttle: end it once with the outcome. A failure is counted before the answer leaves; a success
/// only frees the place, by a message not waited for.
/// </summary>
public sealed class ThrottledAttempt(IThrottleGrain grain, int windowSeconds)
{
    private bool _ended;

    public Task EndAsync(bool failed)
    {
        if (_ended)
        {
            return Task.CompletedTask;
        }

        _ended = true;
        return failed ? grain.EndAttemptAsync(failed: true, windowSeconds) : grain.ReleaseAttemptAsync();
    }
}
