using OwlFactory.GrainInterfaces.Throttling;

namespace OwlFactory.ApiHost.Throttling;

/// <summary>A place taken in a throttle: end it once with the outcome (a failure is counted, a success is not).</summary>
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
        return grain.EndAttemptAsync(failed, windowSeconds);
    }
}
