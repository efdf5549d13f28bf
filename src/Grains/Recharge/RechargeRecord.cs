namespace OwlFactory.Grains.Recharge;

/// <summary>One claimed use of a code; its id is the operation id and the user's ledger key.</summary>
public sealed record RechargeRecord(Guid Id, Guid CodeId, Guid UserId, decimal Amount, DateTime CreatedAt);
