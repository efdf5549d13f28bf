namespace OwlFactory.GrainInterfaces.Recharge;

[GenerateSerializer, Alias("owl.IssueCodesCommand")]
public sealed record IssueCodesCommand(
    [property: Id(0)] decimal Amount,
    [property: Id(1)] string? Description,
    [property: Id(2)] int BatchSize,
    [property: Id(3)] DateTime? ExpiresAt,
    [property: Id(4)] int MaxUses,
    [property: Id(5)] Guid CreatedBy);
