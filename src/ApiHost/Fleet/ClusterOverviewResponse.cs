using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.ApiHost.Fleet;

/// <summary>The cluster at a glance; docs/fleet.md says how each figure is computed.</summary>
public sealed record ClusterOverviewResponse(
    int TotalServers,
    int OnlineServers,
    int OfflineServers,
    int MaintenanceServers,
    int TotalGpus,
    int BusyGpus,
    int IdleGpus,
    int TotalRunningTasks,
    int QueueLength,
    double AverageGpuUsage,
    decimal TotalMemory,
    double UsedMemory)
{
    public static ClusterOverviewResponse From(IReadOnlyCollection<ServerSummary> servers, int queueLength)
    {
        var reachable = servers.Where(s => s.Status is ServerStatus.Online or ServerStatus.Busy or ServerStatus.Maintenance).ToList();
        var reachableGpus = reachable.Sum(s => s.GpuCount);
        var busyGpus = reachable.Sum(s => s.BusyGpus);
        return new ClusterOverviewResponse(
            servers.Count,
            servers.Count(s => s.Status is ServerStatus.Online or ServerStatus.Busy),
            servers.Count(s => s.Status == ServerStatus.Offline),
            servers.Count(s => s.Status == ServerStatus.Maintenance),
            servers.Sum(s => s.GpuCount),
            busyGpus,
            reachableGpus - busyGpus,
            servers.Sum(s => s.CurrentTasks),
            queueLength,
            reachableGpus == 0 ? 0 : Math.Round(reachable.Sum(s => s.GpuUsage * s.GpuCount) / reachableGpus, 1),
            servers.Sum(s => s.TotalMemory),
            Math.Round(reachable.Sum(s => s.UsedMemory), 2));
    }
}
