namespace OwlFactory.GrainInterfaces.Recharge;

/// <summary>
/// Finishes redemptions whose credit a crash interrupted: a claimed use (a recharge record) with no ledger entry.
/// Key: 0 (one per cluster; it only sweeps leftovers, the normal path never goes through it). Runs on a reminder.
/// </summary>
[Alias("owl.IRechargeSettlementGrain")]
public interface IRechargeSettlementGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the reminder that sweeps periodically (idempotent).</summary>
    [Alias("EnsureScheduled")]
    Task EnsureScheduledAsync();

    /// <summary>One sweep now; returns how many redemptions it settled.</summary>
    [Alias("SettlePending")]
    Task<int> SettlePendingAsync(TimeSpan minimumAge);
}
