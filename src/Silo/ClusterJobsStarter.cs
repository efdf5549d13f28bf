using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Admin;
using OwlFactory.GrainInterfaces.Recharge;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.Silo;

/// <summary>
/// Makes sure the cluster's periodic jobs have their reminders. Every silo runs it; registering twice is harmless.
/// It retries in the background: right after a crash the cluster may need a moment before such calls succeed, and
/// that must not stop this silo from starting.
/// </summary>
internal sealed partial class ClusterJobsStarter(IGrainFactory grains, ILogger<ClusterJobsStarter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await grains.Reference<IRechargeSettlementGrain>(0).EnsureScheduledAsync();
                await grains.Reference<ITaskSweeperGrain>(0).EnsureScheduledAsync();
                await grains.Reference<ILogRetentionGrain>(0).EnsureScheduledAsync();
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogRetry(attempt, e);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Scheduling the cluster jobs failed (attempt {Attempt}); retrying")]
    private partial void LogRetry(int attempt, Exception exception);
}
