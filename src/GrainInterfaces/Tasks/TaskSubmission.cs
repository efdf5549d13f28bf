namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>A validated <c>POST /api/tasks</c>. <c>ConfigJson</c> is a JSON object.</summary>
[GenerateSerializer, Alias("owl.TaskSubmission")]
public sealed record TaskSubmission(
    [property: Id(0)] string Title,
    [property: Id(1)] string? Description,
    [property: Id(2)] string TaskType,
    [property: Id(3)] int Priority,
    [property: Id(4)] int? EstimatedDuration,
    [property: Id(5)] string ConfigJson,
    [property: Id(6)] string? IdempotencyKey);
