using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OwlFactory.Database.Logging;

/// <summary>Sets up the <see cref="SystemLogSink"/> and its provider in a host.</summary>
public static class SystemLogExtensions
{
    // The platform's meter name (OwlFactory.GrainInterfaces.OwlMetrics.MeterName; this project does not reference it).
    private static readonly System.Diagnostics.Metrics.Meter LogMeter = new("OwlFactory");

    /// <summary>
    /// Sends this process's log records (Information and above) to <c>system_logs</c>; <paramref name="role"/>
    /// (silo, api) names the process in each record with its host and pid (for example <c>silo@host:1234</c>).
    /// </summary>
    public static IHostApplicationBuilder AddSystemLogs(this IHostApplicationBuilder builder, string connectionString, string role)
    {
        var sink = new SystemLogSink(connectionString, $"{role}@{Environment.MachineName}:{Environment.ProcessId}");
        LogMeter.CreateObservableCounter("owl.logs.dropped", () => sink.Dropped, description: "Log records dropped because the log database was slow or unreachable");
        LogMeter.CreateObservableCounter("owl.logs.written", () => sink.Written, description: "Log records written to system_logs");
        builder.Services.AddSingleton(sink);
        builder.Services.AddHostedService(_ => sink);
        builder.Logging.AddProvider(new SystemLogProvider(sink));
        return builder;
    }
}
