namespace OwlFactory.GrainInterfaces.Recharge;

[GenerateSerializer, Alias("owl.RedeemResult")]
public sealed record RedeemResult(
    [property: Id(0)] RedeemStatus Status,
    [property: Id(1)] decimal Amount = 0,
    [property: Id(2)] decimal NewBalance = 0,
    [property: Id(3)] Guid RecordId = default);
