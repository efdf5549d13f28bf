using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Recharge;

namespace OwlFactory.Grains.Recharge;

public sealed partial class RechargeSettlementGrain(RechargeCodeStore store, ILogger<RechargeSettlementGrain> logger)
    : Grain, IRechargeSettlementGrain, IRemindable
{
    private const string ReminderName = "settle-redemptions";

    // Old enough that the normal path (claim, then credit a few milliseconds later) has finished.
    private static readonly TimeSpan SweepAge = TimeSpan.FromSeconds(30);

    public async Task EnsureScheduledAsync()
        => await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    public async Task<int> SettlePendingAsync(TimeSpan minimumAge)
    {
        var settled = 0;
        foreach (var pending in await store.FindUnsettledAsync(minimumAge, limit: 500))
        {
            var code = GrainFactory.Reference<IRechargeCodeGrain>(RechargeCodes.GrainKey(pending.CodeHash));
            var result = await code.RedeemAsync(pending.UserId, pending.RecordId);
            if (result.Status == RedeemStatus.Ok)
            {
                settled++;
                LogSettled(pending.RecordId, pending.UserId);
            }
        }

        return settled;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => SettlePendingAsync(SweepAge);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "Settled recharge record {RecordId} for user {UserId}: its credit had been interrupted")]
    private partial void LogSettled(Guid recordId, Guid userId);
}
