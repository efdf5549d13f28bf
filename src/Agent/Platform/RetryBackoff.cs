namespace OwlFactory.Agent.Platform;

/// <summary>Exponential backoff with jitter: 1 s, 2 s, 4 s … capped at 30 s, each delay between half and all of it.</summary>
internal sealed class RetryBackoff(TimeSpan initial, TimeSpan max)
{
    private int _failures;

    public RetryBackoff()
        : this(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30))
    {
    }

    /// <summary>Failures since the last success.</summary>
    public int Failures => _failures;

    public TimeSpan NextDelay()
    {
        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 20));
        _failures++;
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        // Jitter spreads the retries of a fleet of agents after the API comes back.
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    public void Reset() => _failures = 0;
}
