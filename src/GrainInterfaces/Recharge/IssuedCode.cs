namespace OwlFactory.GrainInterfaces.Recharge;

[GenerateSerializer, Alias("owl.IssuedCode")]
public sealed record IssuedCode(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Code,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] DateTime? ExpiresAt);
