namespace OwlFactory.ApiHost.Admin;

/// <summary>
/// The contract's admin figures plus what an operator wants at a glance, from one statement of indexed aggregates
/// over the tables the grains write (docs/operations.md says what each counts).
/// </summary>
public sealed record AdminStatsResponse(
    long TotalUsers,
    long ActiveUsers,
    long TotalTasks,
    long PendingTasks,
    long RunningTasks,
    long CompletedTasks,
    long FailedTasks,
    long CancelledTasks,
    long QueueLength,
    long TotalGpuServers,
    long OnlineGpuServers,
    decimal TotalRevenue,
    decimal TotalBalance,
    decimal TotalHeld);
