namespace OwlFactory.ApiHost.Recharge;

public sealed record RedeemResponse(decimal Amount, decimal NewBalance, Guid RechargeRecordId);
