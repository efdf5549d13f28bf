namespace OwlFactory.GrainInterfaces;

/// <summary>
/// A request's audit row (<c>user_actions</c>), made by the API host before it calls the grain that carries the action
/// out, with the status the request answers when the action succeeds. The grain writes it in the transaction that
/// commits the action and says so in its result; when the grain writes nothing (a refusal, a replay), the API host
/// records the request itself, with the status it actually answered.
/// </summary>
[GenerateSerializer, Immutable, Alias("owl.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] Guid? UserId,
    [property: Id(1)] string Action,
    [property: Id(2)] string Details,
    [property: Id(3)] string? Ip,
    [property: Id(4)] string? UserAgent,
    [property: Id(5)] DateTime At);
