using OwlFactory.GrainInterfaces.Recharge;

namespace OwlFactory.Silo;

/// <summary>Makes sure the cluster's periodic jobs have their reminders. Every silo runs it; registering twice is harmless.</summary>
internal sealed class ClusterJobsStarter(IGrainFactory grains) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
        => grains.GetGrain<IRechargeSettlementGrain>(0).EnsureScheduledAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
