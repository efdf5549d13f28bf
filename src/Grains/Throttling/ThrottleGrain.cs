using OwlFactory.GrainInterfaces.Throttling;

namespace OwlFactory.Grains.Throttling;

public sealed class ThrottleGrain(TimeProvider clock) : Grain, IThrottleGrain
{
    private readonly Queue<DateTime> _events = new();

    public Task<bool> IsExhaustedAsync(int limit, int windowSeconds)
    {
        Trim(windowSeconds);
        return Task.FromResult(_events.Count >= limit);
    }

    public Task RecordAsync(int windowSeconds)
    {
        Trim(windowSeconds);
        _events.Enqueue(clock.GetUtcNow().UtcDateTime);
        return Task.CompletedTask;
    }

    public Task<bool> TryAcquireAsync(int limit, int windowSeconds)
    {
        Trim(windowSeconds);
        if (_events.Count >= limit)
        {
            return Task.FromResult(false);
        }

        _events.Enqueue(clock.GetUtcNow().UtcDateTime);
        return Task.FromResult(true);
    }

    private void Trim(int windowSeconds)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime.AddSeconds(-windowSeconds);
        while (_events.Count > 0 && _events.Peek() <= cutoff)
        {
            _events.Dequeue();
        }
    }
}
