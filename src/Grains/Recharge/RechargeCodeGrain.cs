using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;
using OwlFactory.GrainInterfaces.Recharge;
using OwlFactory.GrainInterfaces.Throttling;

namespace OwlFactory.Grains.Recharge;

/// <summary>
/// Code redemption: a code is checked (already redeemed by this user, then disabled, expired, used up), its use claimed
/// with the redemption record in one statement, then credited to the user under the redemption's operation id, so a
/// replay or the settlement's repair credits exactly once (docs/architecture.md, "Redeeming a code").
/// </summary>
public sealed class RechargeCodeGrain(RechargeCodeStore store, TimeProvider clock) : Grain, IRechargeCodeGrain
{
    private RechargeCodeState? _state;

    private string CodeHash => RechargeCodes.HashOfGrainKey(this.GetPrimaryKeyString());

    public async Task<RedeemResult> RedeemAsync(Guid userId, Guid operationId, AuditEntry? audit = null, FailureLimit? failureLimit = null)
    {
        if (failureLimit is null)
        {
            return await RedeemOnceAsync(userId, operationId, audit);
        }

        var attempt = await ThrottledAttempt.BeginAsync(
            GrainFactory.Reference<IThrottleGrain>(FailureLimit.RedeemFailuresKey(userId)), failureLimit.Limit, failureLimit.WindowSeconds);
        if (attempt is null)
        {
            return new RedeemResult(RedeemStatus.RateLimited);
        }

        RedeemResult? result = null;
        try
        {
            result = await RedeemOnceAsync(userId, operationId, audit);
            return result;
        }
        finally
        {
            // A refusal is counted; a success, or a fault (which is not the user's doing), only frees the place.
            await attempt.EndAsync(failed: result is { Status: not RedeemStatus.Ok });
        }
    }

    private async Task<RedeemResult> RedeemOnceAsync(Guid userId, Guid operationId, AuditEntry? audit)
    {
        // Loaded on first use, after the throttle let the attempt through (a throttled user costs no query), and again
        // while there is no such code: it may have been issued after this activation last looked for it.
        _state ??= await store.LoadAsync(CodeHash);
        if (_state is null)
        {
            return new RedeemResult(RedeemStatus.NotFound);
        }

        if (_state.Redemptions.TryGetValue(userId, out var recordId))
        {
            // The same operation again is a replay (or the repair of a credit a crash interrupted); another one is
            // this user's second try at the code.
            return recordId == operationId ? await CreditAsync(userId, recordId) : new RedeemResult(RedeemStatus.AlreadyRedeemed);
        }

        var refusal = Refusal(clock.GetUtcNow().UtcDateTime);
        if (refusal is not null)
        {
            return new RedeemResult(refusal.Value);
        }

        // The use is claimed by the user's grain, in the transaction that credits it: either both commit or neither.
        var claim = new RechargeClaim(_state.Id, _state.Version, _state.UsedCount + 1, _state.DisabledAt, operationId, _state.Amount,
            clock.UtcNowMilliseconds(), audit);
        CreditResult credit;
        try
        {
            credit = await GrainFactory.Reference<IUserGrain>(userId).CreditClaimedRechargeAsync(claim);
        }
        catch
        {
            // Whether the claim committed is unknown (its answer was lost, or it failed as stale): the next call reloads.
            DeactivateOnIdle();
            throw;
        }

        switch (credit.Status)
        {
            case AccountStatus.Ok:
                var next = _state.Copy();
                next.UsedCount = claim.UsedCount;
                next.Redemptions[userId] = operationId;
                next.Version++;
                _state = next;
                if (Refusal(claim.ClaimedAt) == RedeemStatus.UsedUp)
                {
                    // A used-up code is asked for again rarely, if ever: its memory is better given back now.
                    DeactivateOnIdle();
                }

                return new RedeemResult(RedeemStatus.Ok, claim.Amount, credit.BalanceAfter, operationId, Audited: audit is not null);
            case AccountStatus.RedemptionTaken:
                // The operation id is taken by another redemption: not this user's use of this code.
                return new RedeemResult(RedeemStatus.AlreadyRedeemed);
            default:
                return new RedeemResult(RedeemStatus.NotFound);
        }
    }

    public async Task<bool> DisableAsync()
    {
        _state ??= await store.LoadAsync(CodeHash);
        if (_state is null)
        {
            return false;
        }

        if (_state.DisabledAt is null)
        {
            var next = _state.Copy();
            next.DisabledAt = clock.UtcNowMilliseconds();
            await this.WriteOrReloadAsync(async () =>
            {
                await store.DisableAsync(next);
                return true;
            });
            _state = next;
        }

        return true;
    }

    private RedeemStatus? Refusal(DateTime now) => _state switch
    {
        { DisabledAt: not null } => RedeemStatus.Disabled,
        { ExpiresAt: { } expiresAt } when expiresAt <= now => RedeemStatus.Expired,
        { UsedCount: var used, MaxUses: var max } when used >= max => RedeemStatus.UsedUp,
        _ => null,
    };

    private async Task<RedeemResult> CreditAsync(Guid userId, Guid recordId)
    {
        var credit = await GrainFactory.Reference<IUserGrain>(userId).CreditRechargeAsync(recordId, _state!.Amount);
        return credit.Status == AccountStatus.Ok
            ? new RedeemResult(RedeemStatus.Ok, _state.Amount, credit.BalanceAfter, recordId)
            : new RedeemResult(RedeemStatus.NotFound);
    }
}
