namespace OwlFactory.GrainInterfaces.Accounts;

[GenerateSerializer, Alias("owl.AccountStatus")]
public enum AccountStatus
{
    Ok = 0,
    NotFound = 1,
    EmailTaken = 2,
    UsernameTaken = 3,
    WrongPassword = 4,
    Deactivated = 5,
    AlreadyExists = 6,
    Forbidden = 7,
    SelfChangeRefused = 8,
    LastSuperAdmin = 9,
    BalanceBelowHeld = 10,

    /// <summary>A recharge claim's record exists already: another redemption took its operation id, or this user this code.</summary>
    RedemptionTaken = 11,
}
