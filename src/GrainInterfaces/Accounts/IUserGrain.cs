namespace OwlFactory.GrainInterfaces.Accounts;

/// <summary>
/// One account. Key: the user's id (a GUID). The grain keeps the account in its row of the <c>users</c> table,
/// so the uniqueness of email and username is enforced by that table's unique indexes in the same write.
/// </summary>
[Alias("owl.IUserGrain")]
public interface IUserGrain : IGrainWithGuidKey
{
    /// <summary>Creates the account. Fails with a conflict when the email or username is taken (ignoring case).</summary>
    [Alias("Register")]
    Task<RegisterResult> RegisterAsync(RegisterCommand command);

    /// <summary>Checks the password and records the login.</summary>
    [Alias("Login")]
    Task<LoginResult> LoginAsync(string password);

    /// <summary>What a bearer token needs checked on every request: does the account exist, is it active, is the token's version current.</summary>
    [Alias("GetSession")]
    Task<UserSession?> GetSessionAsync();

    [Alias("GetProfile")]
    Task<UserProfile?> GetProfileAsync();

    /// <summary>Changes the username and/or full name; nothing else.</summary>
    [Alias("UpdateProfile")]
    Task<AccountResult> UpdateProfileAsync(string? username, string? fullName);

    /// <summary>Changes the password and revokes every token issued before; the result carries the new token version.</summary>
    [Alias("ChangePassword")]
    Task<LoginResult> ChangePasswordAsync(string currentPassword, string newPassword);

    [Alias("GetStats")]
    Task<UserStats?> GetStatsAsync();

    /// <summary>
    /// Credits a redeemed recharge code. <paramref name="recordId"/> is the redemption's operation id and the ledger
    /// entry's idempotency key: a second call with it changes nothing and reports the first entry's balance.
    /// </summary>
    [Alias("CreditRecharge")]
    Task<CreditResult> CreditRechargeAsync(Guid recordId, decimal amount);

    /// <summary>
    /// Applies an admin's change (rules already checked by <see cref="IUserAdministrationGrain"/>). A role or active
    /// change revokes every token; a balance change is an <c>adjustment</c> ledger entry keyed by <paramref name="operationId"/>.
    /// </summary>
    [Alias("AdminApply")]
    Task<AccountResult> AdminApplyAsync(AdminUserChange change, Guid actorId, Guid operationId);
}
