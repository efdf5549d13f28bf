using Microsoft.Extensions.Options;
using OwlFactory.Agent.Configuration;
using OwlFactory.Agent.Execution;
using OwlFactory.Agent.Platform;
using OwlFactory.Agent.Supervision;
using OwlFactory.Agent.Telemetry;

namespace OwlFactory.Agent;

internal static class AgentServiceCollectionExtensions
{
    /// <summary>The agent: options (validated at start), telemetry, executors, the API client and the heartbeat loop.</summary>
    public static IServiceCollection AddOwlAgent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgentOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        // SIGTERM: the agent's own shutdown budget is 8 s; the host waits a little longer for it.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(12));

        services.AddSingleton(_ => new HostUsageReader());
        services.AddSingleton<ITelemetrySource>(sp => sp.GetRequiredService<IOptions<AgentOptions>>().Value.SimulateGpus > 0
            ? ActivatorUtilities.CreateInstance<SimulatedTelemetrySource>(sp)
            : ActivatorUtilities.CreateInstance<NvidiaSmiTelemetrySource>(sp));
        services.AddSingleton<ExecutorCatalog>();
        services.AddSingleton(sp => new AgentApiClient(
            AgentApiClient.CreateHttpClient(sp.GetRequiredService<IOptions<AgentOptions>>().Value.ApiUrl),
            sp.GetRequiredService<IOptionsMonitor<AgentOptions>>()));
        services.AddSingleton<TaskSupervisor>();
        services.AddHostedService<HeartbeatWorker>();
        return services;
    }
}
