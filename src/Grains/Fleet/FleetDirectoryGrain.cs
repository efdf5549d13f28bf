using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using OwlFactory.GrainInterfaces.Fleet;
using OwlFactory.Grains.Admin;

namespace OwlFactory.Grains.Fleet;

public sealed class FleetDirectoryGrain(GpuServerStore store, SystemConfigCache config, IOptions<FleetSettings> options, TimeProvider clock)
    : Grain, IFleetDirectoryGrain
{
    private readonly Dictionary<Guid, ServerSummary> _servers = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // What PostgreSQL knows; live servers replace these entries with their first report. A stored "online" whose
        // last heartbeat is older than the timeout is shown as offline: its grain (woken by its reminder) agrees soon.
        var liveness = LivenessPolicy.For(options.Value.HeartbeatIntervalSeconds, config.Current.HeartbeatTimeoutSeconds);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (id, s) in await store.LoadAllAsync())
        {
            var status = s.Status is ServerStatus.Maintenance || !liveness.HasTimedOut(s.LastHeartbeat, now) ? s.Status : ServerStatus.Offline;
            _servers[id] = new ServerSummary(id, s.Name, s.Host, status, 0, s.MaxConcurrentTasks, s.TotalMemory, 0,
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
