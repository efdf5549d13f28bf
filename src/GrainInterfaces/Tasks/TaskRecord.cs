namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>
/// One task as its grain holds it and the store writes it: one row of the <c>tasks</c> table (read by
/// <see cref="TaskRows"/>). It crosses grain calls only between the task's grain and its user's grain, which settle its
/// hold; everyone else sees its <see cref="TaskView"/>. <c>Attempt</c> counts dispatches (a retry or a
/// requeue after a lost server starts the next one); <c>LostRuns</c> counts the runs of this hold that a vanished
/// server took with it. <c>HoldKey</c> names the hold the current attempt runs on; its charge and release use it too.
/// </summary>
[GenerateSerializer, Alias("owl.TaskRecord")]
public sealed record TaskRecord(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] string Title,
    [property: Id(3)] string? Description,
    [property: Id(4)] string TaskType,
    [property: Id(5)] int Priority,
    [property: Id(6)] int? EstimatedDuration,
    [property: Id(7)] string ConfigJson,
    [property: Id(8)] string? ResultJson,
    [property: Id(9)] string? ErrorMessage,
    [property: Id(10)] string Status,
    [property: Id(11)] double Progress,
    [property: Id(12)] Guid? GpuServerId,
    [property: Id(13)] int Attempt,
    [property: Id(14)] int LostRuns,
    [property: Id(15)] string HoldKey,
    [property: Id(16)] decimal HoldAmount,
    [property: Id(17)] decimal Price,
    [property: Id(18)] decimal Cost,
    [property: Id(19)] int TimeoutSeconds,
    [property: Id(20)] string? IdempotencyKey,
    [property: Id(21)] DateTime? AssignedAt,
    [property: Id(22)] DateTime? StartedAt,
    [property: Id(23)] DateTime? CompletedAt,
    [property: Id(24)] DateTime CreatedAt,
    [property: Id(25)] DateTime UpdatedAt,
    [property: Id(26)] DateTime? DeletedAt,
    [property: Id(27)] long Version)
{
    public bool IsFinished => TaskStatuses.IsFinished(Status);

    public bool IsActive => TaskStatuses.IsActive(Status);

    /// <summary>The task without what only its row and its billing need.</summary>
    public TaskView ToView() => new(
        Id: Id,
        UserId: UserId,
        Title: Title,
        Description: Description,
        TaskType: TaskType,
        Priority: Priority,
        EstimatedDuration: EstimatedDuration,
        ConfigJson: ConfigJson,
        ResultJson: ResultJson,
        ErrorMessage: ErrorMessage,
        Status: Status,
        Progress: Progress,
        GpuServerId: GpuServerId,
        Attempt: Attempt,
        HoldAmount: HoldAmount,
        Price: Price,
        Cost: Cost,
        TimeoutSeconds: TimeoutSeconds,
        AssignedAt: AssignedAt,
        StartedAt: StartedAt,
        CompletedAt: CompletedAt,
        CreatedAt: CreatedAt,
        UpdatedAt: UpdatedAt);
}
