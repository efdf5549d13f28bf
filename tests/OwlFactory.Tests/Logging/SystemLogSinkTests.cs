using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using OwlFactory.Database.Logging;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Logging;

/// <summary>The PostgreSQL log sink on its own: records arrive in batches; a stalled database never makes a caller wait.</summary>
public sealed partial class SystemLogSinkTests
{
    [Fact]
    public async Task HealthyDatabase_EveryRecordArrives()
    {
        await TestDatabase.EnsureMigratedAsync();
        var marker = Guid.NewGuid().ToString("N");
        using var sink = new SystemLogSink(TestDatabase.ConnectionString, "sink-test@here:1");
        await sink.StartAsync(CancellationToken.None);
        var logger = new SystemLogProvider(sink).CreateLogger("SinkTest");

        for (var i = 0; i < 3000; i++)
        {
            LogRecord(logger, i, marker);
        }

        LogBelowInformation(logger, marker);
        var deadline = Stopwatch.StartNew();
        long count;
        while ((count = await CountAsync(marker)) < 3000 && deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
        }

        await sink.StopAsync(CancellationToken.None);
        Assert.Equal(3000, count);
        Assert.Equal(0, sink.Dropped);
        Assert.Equal("INFO", await TestDatabase.ScalarAsync<string>("SELECT DISTINCT level FROM system_logs WHERE message LIKE $1", $"%{marker}"));
    }

    [Fact]
    public async Task StalledDatabase_LoggingNeverWaits_AndTheDropsAreCounted()
    {
        // Accepts connections (the kernel's backlog) and never answers: a database that hangs.
        var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        try
        {
            var port = ((IPEndPoint)blackHole.LocalEndpoint).Port;
            using var sink = new SystemLogSink($"Host=127.0.0.1;Port={port};Username=postgres;Database=stalled", "stall-test@here:1", capacity: 1000);
            await sink.StartAsync(CancellationToken.None);
            var logger = new SystemLogProvider(sink).CreateLogger("StallTest");

            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 20_000; i++)
            {
                LogWarningRecord(logger, i);
            }

            watch.Stop();

            // Had a single call waited for the database, 20,000 of them would take hours, not a fraction of a second.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"logging took {watch.Elapsed.TotalMilliseconds:0} ms");
            Assert.True(sink.Dropped >= 20_000 - 1000 - 1000, $"dropped {sink.Dropped}");
            Assert.Equal(0, sink.Written);
            await sink.StopAsync(CancellationToken.None);
        }
        finally
        {
            blackHole.Stop();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "record {Number} of {Marker}")]
    private static partial void LogRecord(ILogger logger, int number, string marker);

    [LoggerMessage(Level = LogLevel.Debug, Message = "below Information: {Marker}")]
    private static partial void LogBelowInformation(ILogger logger, string marker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "record {Number}")]
    private static partial void LogWarningRecord(ILogger logger, int number);

    private static Task<long> CountAsync(string marker)
        => TestDatabase.ScalarAsync<long>("SELECT count(*) FROM system_logs WHERE message LIKE $1", $"%{marker}");
}
