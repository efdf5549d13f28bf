using OwlFactory.ApiHost.Accounts;
using OwlFactory.ApiHost.Admin;
using OwlFactory.ApiHost.Fleet;
using OwlFactory.ApiHost.Http;
using OwlFactory.ApiHost.Logs;
using OwlFactory.ApiHost.Recharge;
using OwlFactory.ApiHost.Streaming;
using OwlFactory.ApiHost.Tasks;
using OwlFactory.ApiHost.Throttling;
using OwlFactory.Database;
using OwlFactory.Database.Batching;

namespace OwlFactory.ApiHost;

public static class ApiServiceExtensions
{
    /// <summary>What the endpoints use beside the cluster: rate limits, idempotency keys, live streams, the read side and the audit trail.</summary>
    public static IServiceCollection AddOwlApiServices(this IServiceCollection services, string connectionString)
    {
        services.AddOptions<RateLimitSettings>().BindConfiguration(RateLimitSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => OwlDataSource.Create(connectionString, "owl-api"));
        services.AddSingleton<ClientThrottle>();
        services.AddSingleton<IdempotencyKeys>();
        services.AddOptions<StreamSettings>().BindConfiguration(StreamSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StreamSessions>();
        services.AddSingleton<ClusterOverviewFeed>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<RechargeQueries>();
        services.AddSingleton<TaskQueries>();
        services.AddSingleton<WriteBatcher>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AdminStatsQuery>();
        services.AddSingleton<LogQueries>();
        return services;
    }
}
