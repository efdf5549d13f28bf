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
