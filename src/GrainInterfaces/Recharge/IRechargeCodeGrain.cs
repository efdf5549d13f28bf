using OwlFactory.GrainInterfaces.Throttling;

namespace OwlFactory.GrainInterfaces.Recharge;

/// <summary>
/// One recharge code. Key: <c>code:{sha256 of the code}</c> (see <see cref="RechargeCodes.GrainKey"/>). Enforces
/// max_uses and once-per-user exactly; claims a use durably before it credits the user, with the operation id
/// carried to the user's ledger so that a crash in between is settled exactly once.
/// </summary>
[Alias("owl.IRechargeCodeGrain")]
public interface IRechargeCodeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Redeems the code for <paramref name="userId"/>. Repeating a call with the same <paramref name="operationId"/>
    /// replays the first answer and finishes a credit that a crash interrupted; it never credits twice. A new use commits
    /// <paramref name="audit"/> with it. With a <paramref name="failureLimit"/> the attempt first takes a place in the
    /// user's throttle (<see cref="FailureLimit.RedeemFailuresKey"/>), in this silo: a user who used up their refusals
    /// gets <see cref="RedeemStatus.RateLimited"/>, and a refusal is counted before the answer.
    /// </summary>
    [Alias("Redeem")]
    Task<RedeemResult> RedeemAsync(Guid userId, Guid operationId, AuditEntry? audit = null, FailureLimit? failureLimit = null);

    /// <summary>Stops the code from being redeemed again; false when there is no such code.</summary>
    [Alias("Disable")]
    Task<bool> DisableAsync();
}
