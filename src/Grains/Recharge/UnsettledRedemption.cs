namespace OwlFactory.Grains.Recharge;

public sealed record UnsettledRedemption(Guid RecordId, Guid UserId, string CodeHash);
