using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Admin;

namespace OwlFactory.Grains.Admin;

/// <summary>
/// This silo's copy of the live configuration, kept current by a long poll on <see cref="ISystemConfigGrain"/>: a
/// change reaches every silo within the poll's round trip, and grains read the copy without any call.
/// </summary>
public sealed partial class SystemConfigCache(IGrainFactory grains, ILogger<SystemConfigCache> logger) : BackgroundService
{
    // Below the 10 s grain-call timeout, so a quiet poll always answers in time.
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(5);

    public SystemConfig Current { get; private set; } = SystemConfig.Default;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var next = await grains.Reference<ISystemConfigGrain>(0).WaitForChangeAsync(Current.Version, PollWait);
                if (next.Version != Current.Version)
                {
                    Current = next;
                    LogApplied(next.Version);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The cluster may still be starting, or the grain's silo just left: keep the last copy and retry.
                LogPollFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Applied system config version {Version}")]
    private partial void LogApplied(long version);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "System config poll failed; retrying")]
    private partial void LogPollFailed(Exception exception);
}
