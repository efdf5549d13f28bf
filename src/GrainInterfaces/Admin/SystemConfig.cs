using System.Collections.Immutable;

namespace OwlFactory.GrainInterfaces.Admin;

/// <summary>The platform's live configuration (PRODUCT.md's keys). <c>Version</c> grows with every change.</summary>
[GenerateSerializer, Alias("owl.SystemConfig")]
public sealed record SystemConfig(
    [property: Id(0)] int MaxConcurrentTasksPerUser,
    [property: Id(1)] int DefaultTaskTimeout,
    [property: Id(2)] bool MaintenanceMode,
    [property: Id(3)] string MaintenanceMessage,
    [property: Id(4)] int HeartbeatTimeoutSeconds,
    [property: Id(5)] ImmutableSortedDictionary<string, decimal> TaskPrices,
    [property: Id(6)] int LogRetentionDays,
    [property: Id(7)] long Version,
    [property: Id(8)] DateTime? UpdatedAt,
    [property: Id(9)] Guid? UpdatedBy)
{
    /// <summary>PRODUCT.md's defaults: credits per GPU-minute per task type, 5 tasks per user, an hour's timeout.</summary>
    public static SystemConfig Default { get; } = new(
        MaxConcurrentTasksPerUser: 5,
        DefaultTaskTimeout: 3600,
        MaintenanceMode: false,
        MaintenanceMessage: "The platform is under maintenance; please try again later.",
        HeartbeatTimeoutSeconds: 30,
        TaskPrices: ImmutableSortedDictionary.CreateRange(new Dictionary<string, decimal>
        {
            ["video_analysis"] = 0.10m,
            ["training"] = 0.10m,
            ["inference"] = 0.05m,
            ["data_processing"] = 0.03m,
            ["test"] = 0.00m,
        }),
        LogRetentionDays: 30,
        Version: 0,
        UpdatedAt: null,
        UpdatedBy: null);
}
