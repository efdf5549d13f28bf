using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OwlFactory.Database.Notifications;

/// <summary>
/// Holds a LISTEN on one channel for as long as the process runs, reconnecting after any failure. A listener learns
/// of every NOTIFY committed while it listens, and of none while it does not: <see cref="OnListening"/> and
/// <see cref="OnLost"/> mark those spans, so a subclass can treat what it may have missed.
/// </summary>
public abstract partial class ChannelListener(NpgsqlDataSource dataSource, string channel, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>The LISTEN holds: notices from now on arrive. Anything before may have been missed.</summary>
    protected abstract void OnListening();

    /// <summary>A NOTIFY's payload (see <see cref="NoticePayload"/>).</summary>
    protected abstract void OnNotice(string payload);

    /// <summary>The LISTEN is gone (connection lost, or the process stops): notices are being missed until the next <see cref="OnListening"/>.</summary>
    protected virtual void OnLost()
    {
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(logger, channel, e);
                await Task.Delay(ReconnectDelay, stoppingToken);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, e) => OnNotice(e.Payload);
        try
        {
            await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
            {
                await listen.ExecuteNonQueryAsync(stoppingToken);
            }

            OnListening();
            while (!stoppingToken.IsCancellationRequested)
            {
                await connection.WaitAsync(stoppingToken);
            }
        }
        finally
        {
            OnLost();
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                // Pooled connections are not reset on return: leave no LISTEN behind on this one.
                await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
                await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Listening on {Channel} failed; reconnecting")]
    private static partial void LogListenFailed(ILogger logger, string channel, Exception exception);
}
