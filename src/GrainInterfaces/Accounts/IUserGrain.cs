using Orleans.Concurrency;
using OwlFactory.GrainInterfaces.Recharge;
using OwlFactory.GrainInterfaces.Tasks;

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

    /// <summary>
    /// What a bearer token needs checked on every request (does the account exist, is it active, is the token's
    /// version current), with the profile, so that <c>GET /api/users/me</c> needs no second call. Reads interleave:
    /// they answer from the last committed state and never wait for a write in flight.
    /// </summary>
    [AlwaysInterleave, Alias("GetSession")]
    Task<UserSession?> GetSessionAsync();

    [AlwaysInterleave, Alias("GetProfile")]
    Task<UserProfile?> GetProfileAsync();

    /// <summary>Changes the username and/or full name; nothing else.</summary>
    [Alias("UpdateProfile")]
    Task<AccountResult> UpdateProfileAsync(string? username, string? fullName);

    /// <summary>Changes the password and revokes every token issued before; the result carries the new token version.</summary>
    [NotIdempotent, Alias("ChangePassword")]
    Task<LoginResult> ChangePasswordAsync(string currentPassword, string newPassword);

    /// <summary>
    /// Credits a redeemed recharge code. <paramref name="recordId"/> is the redemption's operation id and the ledger
    /// entry's idempotency key: a second call with it changes nothing and reports the first entry's balance.
    /// </summary>
    [Alias("CreditRecharge")]
    Task<CreditResult> CreditRechargeAsync(Guid recordId, decimal amount);

    /// <summary>
    /// Credits a code's use and commits its <paramref name="claim"/> (the code's row and the redemption's record) in
    /// the same transaction. <see cref="AccountStatus.RedemptionTaken"/> when the record exists already; nothing is
    /// written then.
    /// </summary>
    [Alias("CreditClaimedRecharge")]
    Task<CreditResult> CreditClaimedRechargeAsync(RechargeClaim claim);

    /// <summary>
    /// Applies an admin's change (rules already checked by <see cref="IUserAdministrationGrain"/>). A role or active
    /// change revokes every token; a balance change is an <c>adjustment</c> ledger entry keyed by <paramref name="operationId"/>.
    /// </summary>
    [Alias("AdminApply")]
    Task<AccountResult> AdminApplyAsync(AdminUserChange change, Guid actorId, Guid operationId);

    /// <summary>
    /// Accepts a task: checks maintenance, the price, the concurrency limit and the available balance, then holds
    /// the task's most possible cost and writes the task (queued) in the same transaction. With an idempotency key
    /// already used by this user, answers the task created then.
    /// </summary>
    [Alias("SubmitTask")]
    Task<TaskResult> SubmitTaskAsync(TaskSubmission submission);

    /// <summary>
    /// A task's retry: the limit and balance checks of a submit, then a new hold and <paramref name="retried"/> (pending,
    /// its next attempt) written with it. Called by the task's grain, which holds <paramref name="current"/>.
    /// </summary>
    [Alias("ReserveRetry")]
    Task<TaskReservation> ReserveRetryAsync(TaskRecord current, TaskRecord retried);

    /// <summary>
    /// A task's end: charges <c>ended.Cost</c>, releases the rest of the hold and writes <paramref name="ended"/> in one
    /// transaction; the ledger keys (the hold key) make a repeated settlement impossible. Answers the written record.
    /// </summary>
    [Alias("SettleTask")]
    Task<TaskRecord> SettleTaskAsync(TaskRecord current, TaskRecord ended, string logLine);

    /// <summary>A finished task of this user was deleted: it no longer counts in total_tasks.</summary>
    [Alias("TaskDeleted")]
    Task TaskDeletedAsync(Guid taskId);
}
