namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>
/// A validated <c>POST /api/tasks</c>. <c>ConfigJson</c> is a JSON object. <c>OperationId</c> is made once per HTTP
/// request: without an Idempotency-Key it is the submission's key, so a resent call creates no second task.
/// <c>Audit</c>: the request's audit row, written with the new task (see <see cref="AuditEntry"/>).
/// </summary>
[GenerateSerializer, Alias("owl.TaskSubmission")]
public sealed record TaskSubmission(
    [property: Id(0)] string Title,
    [property: Id(1)] string? Description,
    [property: Id(2)] string TaskType,
    [property: Id(3)] int Priority,
    [property: Id(4)] int? EstimatedDuration,
    [property: Id(5)] string ConfigJson,
    [property: Id(6)] string? IdempotencyKey,
    [property: Id(7)] Guid OperationId = default,
    [property: Id(8)] AuditEntry? Audit = null)
{
    /// <summary>The key the task is stored under: the caller's Idempotency-Key, else the request's operation id.</summary>
    public string? StoredKey => IdempotencyKey ?? (OperationId == Guid.Empty ? null : $"{OperationKeyPrefix}{OperationId:N}");

    /// <summary>True when the key is the request's own operation id, which only a retry of that request can repeat.</summary>
    public bool KeyIsOperationId => IdempotencyKey is null && OperationId != Guid.Empty;

    public const string OperationKeyPrefix = "op:";
}
