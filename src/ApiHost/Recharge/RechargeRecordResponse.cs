namespace OwlFactory.ApiHost.Recharge;

/// <summary>One of the caller's redemptions. <c>status</c>: <c>credited</c>, or <c>pending</c> while an interrupted credit awaits settlement.</summary>
public sealed record RechargeRecordResponse(Guid Id, Guid CodeId, string Code, decimal Amount, string Status, DateTime CreatedAt);
