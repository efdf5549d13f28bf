using OpenTelemetry.Metrics;
using OwlFactory.ApiHost.Tasks;
using OwlFactory.GrainInterfaces;

namespace OwlFactory.ApiHost.Health;

public static class MetricsExtensions
{
    /// <summary>Metrics: ASP.NET Core's, the Orleans client's and the platform's own, for Prometheus at /metrics.</summary>
    public static IServiceCollection AddOwlMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter("Microsoft.Orleans", OwlMetrics.MeterName)
            .AddPrometheusExporter());
        services.AddHostedService<TaskGauges>();
        return services;
    }
}
