using OwlFactory.ApiHost.Fleet;
using OwlFactory.ApiHost.Tasks;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.ApiHost.Streaming;

/// <summary>
/// The cluster overview as the open cluster streams of this API host see it: computed at most once a second (one
/// directory call and one queue count) however many streams are open, and only while someone asks.
/// </summary>
public sealed class ClusterOverviewFeed(IClusterClient client, TaskQueries tasks, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (ClusterOverviewResponse Overview, DateTimeOffset At)? _latest;

    public async Task<ClusterOverviewResponse> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } refreshed)
            {
                return refreshed;
            }

            var overview = ClusterOverviewResponse.From(await client.Reference<IFleetDirectoryGrain>(0).ListAsync(),
                (int)await tasks.QueueLengthAsync(cancellationToken));
            _latest = (overview, clock.GetUtcNow());
            return overview;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private ClusterOverviewResponse? Fresh()
        => _latest is { } latest && clock.GetUtcNow() - latest.At < MaxAge ? latest.Overview : null;
}
