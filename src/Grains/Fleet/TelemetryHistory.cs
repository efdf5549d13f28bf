using System.Collections.Immutable;
using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.Grains.Fleet;

/// <summary>
/// A server's telemetry in memory: the latest sample and those of the last <paramref name="historyMinutes"/> minutes,
/// measured back from the newest sample, and at most as many as one a second would leave (an agent that beats far
/// faster than its interval, or one that misbehaves, keeps a shorter history instead of taking more memory). Not
/// stored: a reactivated grain starts empty.
/// </summary>
internal sealed class TelemetryHistory(int historyMinutes)
{
    private readonly Queue<GpuTelemetry> _samples = new();
    private readonly int _capacity = historyMinutes * 60;

    public GpuTelemetry? Latest { get; private set; }

    /// <summary>Takes a sample as the latest and into the history; false for one not newer than the latest (a replay changes nothing).</summary>
    public bool Take(GpuTelemetry sample)
    {
        if (Latest is not null && sample.Timestamp <= Latest.Timestamp)
        {
            return false;
        }

        Latest = sample;
        _samples.Enqueue(sample);
        var horizon = sample.Timestamp.AddMinutes(-historyMinutes);
        while (_samples.Peek().Timestamp < horizon || _samples.Count > _capacity)
        {
            _samples.Dequeue();
        }

        return true;
    }

    /// <summary>The samples taken at or after <paramref name="since"/>, oldest first.</summary>
    public ImmutableArray<GpuTelemetry> Since(DateTime since) => [.. _samples.Where(s => s.Timestamp >= since)];
}
