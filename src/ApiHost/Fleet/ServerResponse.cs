using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.ApiHost.Fleet;

/// <summary>A server as the contract's list shows it, plus its description and timestamps.</summary>
public sealed record ServerResponse(
    Guid Id,
    string Name,
    string Host,
    string Status,
    int CurrentTasks,
    int MaxConcurrentTasks,
    decimal TotalMemory,
    double UsedMemory,
    int GpuCount,
    double CpuUsage,
    double MemoryUsage,
    DateTime? LastHeartbeat,
    string? Description,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static ServerResponse From(ServerSummary s) => new(
        s.Id, s.Name, s.Host, s.Status, s.CurrentTasks, s.MaxConcurrentTasks, s.TotalMemory, Math.Round(s.UsedMemory, 2),
        s.GpuCount, Math.Round(s.CpuUsage, 1), Math.Round(s.MemoryUsage, 1), s.LastHeartbeat, s.Description, s.CreatedAt, s.UpdatedAt);
}
