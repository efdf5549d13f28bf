namespace OwlFactory.ApiHost.Tasks;

/// <summary>
/// What a user needs to submit a task: the priced task types with the hold each one takes, and the limits in force.
/// </summary>
public sealed record TaskTypesResponse(
    IReadOnlyList<TaskTypePrice> Types,
    int DefaultTaskTimeout,
    int MaxConcurrentTasksPerUser,
    bool MaintenanceMode,
    string? MaintenanceMessage);
