using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OwlFactory.Database.Logging;

/// <summary>Hands every record at Information and above to the <see cref="SystemLogSink"/>.</summary>
[ProviderAlias("SystemLogs")]
public sealed class SystemLogProvider(SystemLogSink sink) : ILoggerProvider
{
    private const int MaxMessageLength = 8000;

    public ILogger CreateLogger(string categoryName) => new SystemLogger(sink, categoryName);

    public void Dispose()
    {
    }

    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };

    private sealed class SystemLogger(SystemLogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Information and < LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            sink.Enqueue(new SystemLogRecord(DateTime.UtcNow, LevelName(logLevel), category, eventId.Id,
                message.Length > MaxMessageLength ? message[..MaxMessageLength] : message,
                exception?.ToString() is { } text && text.Length > MaxMessageLength ? text[..MaxMessageLength] : exception?.ToString()));
        }
    }
}

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
