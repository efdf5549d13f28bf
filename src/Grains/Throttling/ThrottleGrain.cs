using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Throttling;

namespace OwlFactory.Grains.Throttling;

public sealed class ThrottleGrain(
    [PersistentState("throttle", OwlConstants.Storage)] IPersistentState<ThrottleState> state,
    TimeProvider clock) : Grain, IThrottleGrain
{
    // An attempt whose end never came (its API host died) stops holding a place after this long.
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(60);

    private readonly Queue<DateTime> _events = new();
    private readonly List<DateTime> _inFlight = [];

    public Task<bool> TryBeginAttemptAsync(int limit, int windowSeconds)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        TrimFailures(now, windowSeconds);
        _inFlight.RemoveAll(t => t <= now - AbandonedAfter);
        if (state.State.Failures.Count + _inFlight.Count >= limit)
        {
            return Task.FromResult(false);
        }

        _inFlight.Add(now);
        return Task.FromResult(true);
    }

    public Task ReleaseAttemptAsync()
    {
        FreeInFlight();
        return Task.CompletedTask;
    }

    public async Task EndAttemptAsync(bool failed, int windowSeconds)
    {
        FreeInFlight();
        if (!failed)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        TrimFailures(now, windowSeconds);
        state.State.Failures.Add(now);
        await state.WriteStateAsync();
    }

    public Task<bool> TryAcquireAsync(int limit, int windowSeconds)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        while (_events.Count > 0 && _events.Peek() <= now.AddSeconds(-windowSeconds))
        {
            _events.Dequeue();
        }

        if (_events.Count >= limit)
        {
            return Task.FromResult(false);
        }

        _events.Enqueue(now);
        return Task.FromResult(true);
    }

    private void FreeInFlight()
    {
        if (_inFlight.Count > 0)
        {
            _inFlight.RemoveAt(0);
        }
    }

    private void TrimFailures(DateTime now, int windowSeconds)
        => state.State.Failures.RemoveAll(t => t <= now.AddSeconds(-windowSeconds));
}
