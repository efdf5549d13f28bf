using System.Collections.Immutable;
using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.Grains.Fleet;

public sealed class FleetDirectoryGrain(GpuServerStore store) : Grain, IFleetDirectoryGrain
{
    private readonly Dictionary<Guid, ServerSummary> _servers = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // What PostgreSQL knows; live servers replace these entries with their first report.
        foreach (var (id, s) in await store.LoadAllAsync())
        {
            _servers[id] = new ServerSummary(id, s.Name, s.Host, s.Status, 0, s.MaxConcurrentTasks, s.TotalMemory, 0,
                s.GpuCount, 0, 0, 0, 0, s.LastHeartbeat, s.Description, s.CreatedAt, s.UpdatedAt);
        }
    }

    public Task ReportAsync(ServerSummary summary)
    {
        _servers[summary.Id] = summary;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(Guid serverId)
    {
        _servers.Remove(serverId);
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<ServerSummary>> ListAsync()
        => Task.FromResult(_servers.Values.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToImmutableArray());
}
