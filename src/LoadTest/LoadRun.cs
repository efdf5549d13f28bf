using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using HdrHistogram;

namespace OwlFactory.LoadTest;

/// <summary>
/// Runs one operation from N concurrent workers for a fixed time (or until the work runs out) and reports
/// throughput and latency percentiles from an HDR histogram.
/// </summary>
internal sealed class LoadRun(string name, int clients, TimeSpan duration)
{
    private readonly ConcurrentDictionary<string, int> _outcomes = new();

    /// <summary>
    /// The operation returns an outcome label ("200", "400 used_up"…), or null when there is no work left.
    /// <paramref name="pace"/>, when given, is awaited before each operation, outside its timing (a producer that waits
    /// for room in a backlog).
    /// </summary>
    public async Task<LoadReport> RunAsync(Func<int, CancellationToken, Task<string?>> operation, Func<CancellationToken, Task>? pace = null)
    {
        var histograms = Enumerable.Range(0, clients).Select(_ => new LongHistogram(TimeStamp.Minutes(1), 3)).ToArray();
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                string? outcome;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (pace is not null)
                    {
                        await pace(stop.Token);
                    }

                    started = Stopwatch.GetTimestamp();
                    outcome = await operation(worker, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                catch (HttpRequestException e)
                {
                    outcome = "error " + e.HttpRequestError;
                }

                if (outcome is null)
                {
                    break;
                }

                histograms[worker].RecordValue(Stopwatch.GetTimestamp() - started);
                _outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();

        var all = new LongHistogram(TimeStamp.Minutes(1), 3);
        foreach (var h in histograms)
        {
            all.Add(h);
        }

        return new LoadReport(name, clients, clock.Elapsed, all, new Dictionary<string, int>(_outcomes));
    }
}

internal sealed record LoadReport(string Name, int Clients, TimeSpan Elapsed, LongHistogram Latency, IReadOnlyDictionary<string, int> Outcomes)
{
    public long Requests => Latency.TotalCount;

    public double PerSecond => Requests / Elapsed.TotalSeconds;

    public double Percentile(double p) => Latency.GetValueAtPercentile(p) * 1000.0 / Stopwatch.Frequency;

    public void Print()
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{Name}: {Requests} requests from {Clients} clients in {Elapsed.TotalSeconds:0.0} s = {PerSecond:0} req/s"));
        Console.WriteLine(string.Create(c, $"  latency ms  p50 {Percentile(50):0.00}  p90 {Percentile(90):0.00}  p99 {Percentile(99):0.00}  max {Percentile(100):0.00}"));
        foreach (var (outcome, count) in Outcomes.OrderByDescending(o => o.Value))
        {
            Console.WriteLine(string.Create(c, $"  {outcome}: {count}"));
        }
    }
}
