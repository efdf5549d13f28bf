namespace OwlFactory.GrainInterfaces.Recharge;

/// <summary>A redemption's answer; <c>Audited</c>: the request's <see cref="AuditEntry"/> was written with the credit.</summary>
[GenerateSerializer, Alias("owl.RedeemResult")]
public sealed record RedeemResult(
    [property: Id(0)] RedeemStatus Status,
    [property: Id(1)] decimal Amount = 0,
    [property: Id(2)] decimal NewBalance = 0,
    [property: Id(3)] Guid RecordId = default,
    [property: Id(4)] bool Audited = false);
