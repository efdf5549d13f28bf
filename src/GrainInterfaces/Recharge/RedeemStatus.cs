namespace OwlFactory.GrainInterfaces.Recharge;

[GenerateSerializer, Alias("owl.RedeemStatus")]
public enum RedeemStatus
{
    Ok = 0,
    NotFound = 1,
    Expired = 2,
    UsedUp = 3,
    AlreadyRedeemed = 4,
    Disabled = 5,

    /// <summary>The user has used up their refused redemptions for the window; nothing was looked at.</summary>
    RateLimited = 6,
}
