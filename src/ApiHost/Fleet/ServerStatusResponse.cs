using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.ApiHost.Fleet;

public sealed record ServerStatusResponse(
    Guid ServerId,
    string Status,
    double CpuUsage,
    double MemoryUsage,
    IReadOnlyList<GpuUsageResponse> GpuUsage,
    IReadOnlyList<TaskProgressResponse> RunningTasks,
    DateTime? Timestamp)
{
    public static ServerStatusResponse From(ServerLiveStatus s) => new(
        s.ServerId, s.Status, s.CpuUsage, s.MemoryUsage, [.. s.Gpus.Select(GpuUsageResponse.From)],
        [.. s.RunningTasks.Select(t => new TaskProgressResponse(t.TaskId, t.Progress))], s.Timestamp);

    public static ServerStatusResponse From(GpuTelemetry t, string status) => From(
        new ServerLiveStatus(t.ServerId, status, t.CpuUsage, t.MemoryUsage, t.Gpus, t.RunningTasks, t.Timestamp));
}
