namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>
/// A task as its owner, admins and the API see it: the <see cref="TaskRecord"/> without what only its row and its
/// billing need (the version, the hold key, the lost runs, the idempotency key, the deletion time).
/// </summary>
[GenerateSerializer, Alias("owl.TaskView")]
public sealed record TaskView(
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
    [property: Id(14)] decimal HoldAmount,
    [property: Id(15)] decimal Price,
    [property: Id(16)] decimal Cost,
    [property: Id(17)] int TimeoutSeconds,
    [property: Id(18)] DateTime? AssignedAt,
    [property: Id(19)] DateTime? StartedAt,
    [property: Id(20)] DateTime? CompletedAt,
    [property: Id(21)] DateTime CreatedAt,
    [property: Id(22)] DateTime UpdatedAt)
{
    public bool IsFinished => TaskStatuses.IsFinished(Status);

    /// <summary>
    /// Whether <paramref name="other"/> shows the task unchanged. The cost a running task accrues by the clock alone is
    /// not a change; every write of the task changes something else shown here, and so does its live progress.
    /// </summary>
    public bool SameAs(TaskView other) => this == other with { Cost = Cost };
}
