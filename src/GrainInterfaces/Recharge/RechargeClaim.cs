namespace OwlFactory.GrainInterfaces.Recharge;

/// <summary>
/// One use of a recharge code, decided by the code's grain and committed by the redeeming user's grain in the same
/// transaction as the credit, so no use is ever claimed without its money or credited without its claim: the code's row
/// moves from <paramref name="ExpectedVersion"/> to <paramref name="UsedCount"/> uses, and the redemption's record
/// <paramref name="RecordId"/> (the redemption's operation id, also the ledger entry's key) is written, with the
/// request's <paramref name="Audit"/> row when it has one.
/// </summary>
[GenerateSerializer, Alias("owl.RechargeClaim")]
public sealed record RechargeClaim(
    [property: Id(0)] Guid CodeId,
    [property: Id(1)] long ExpectedVersion,
    [property: Id(2)] int UsedCount,
    [property: Id(3)] DateTime? DisabledAt,
    [property: Id(4)] Guid RecordId,
    [property: Id(5)] decimal Amount,
    [property: Id(6)] DateTime ClaimedAt,
    [property: Id(7)] AuditEntry? Audit = null);
