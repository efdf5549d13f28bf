using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace OwlFactory.Database.Logging;

/// <summary>
/// Writes this process's log records to PostgreSQL in batches (binary COPY), off the request path. Loggers only try
/// to put a record into a bounded buffer: when the buffer is full (the database is slow or gone) the record is
/// dropped and counted, never waited for. Drops are reported on the console at once and as a log record of their
/// own once the database takes writes again.
/// </summary>
public sealed class SystemLogSink : BackgroundService
{
    private const int BatchSize = 1000;
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<SystemLogRecord> _buffer;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _process;
    private long _dropped;
    private long _droppedReported;

    public SystemLogSink(string connectionString, string process, int capacity = 10_000)
    {
        // A pool of its own, so the log writer never competes with requests for connections.
        _dataSource = new NpgsqlDataSourceBuilder(connectionString)
        {
            ConnectionStringBuilder = { MaxPoolSize = 2, Timeout = 5, CommandTimeout = 5, ApplicationName = "owl-log-sink" },
        }.Build();
        _process = process;
        _buffer = Channel.CreateBounded<SystemLogRecord>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Records dropped so far (buffer full, or a batch the database did not take).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records written so far.</summary>
    public long Written { get; private set; }

    /// <summary>Never blocks: a full buffer drops the record.</summary>
    public void Enqueue(SystemLogRecord record)
    {
        if (!_buffer.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public override void Dispose()
    {
        _dataSource.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<SystemLogRecord>(BatchSize);
        try
        {
            while (await _buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && _buffer.Reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                ReportDrops("the buffer was full: the log database was slow or unreachable");
                await WriteBatchAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: one last try for what is buffered, bounded by the write timeout.
            while (_buffer.Reader.TryRead(out var record) && batch.Count < BatchSize)
            {
                batch.Add(record);
            }

            await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(List<SystemLogRecord> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        // Bounded by its own timeout only: a shutdown does not abort a write already under way (it would count as
        // dropped records the database may have taken).
        using var timeout = new CancellationTokenSource(WriteTimeout);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(timeout.Token);
            await using var import = await connection.BeginBinaryImportAsync(
                "COPY system_logs (ts, level, category, event_id, message, exception, process) FROM STDIN (FORMAT BINARY)", timeout.Token);
            foreach (var r in batch)
            {
                await import.StartRowAsync(timeout.Token);
                await import.WriteAsync(r.Ts, NpgsqlDbType.TimestampTz, timeout.Token);
                await import.WriteAsync(r.Level, NpgsqlDbType.Text, timeout.Token);
                await import.WriteAsync(r.Category, NpgsqlDbType.Text, timeout.Token);
                await import.WriteAsync(r.EventId, NpgsqlDbType.Integer, timeout.Token);
                await import.WriteAsync(r.Message, NpgsqlDbType.Text, timeout.Token);
                if (r.Exception is null)
                {
                    await import.WriteNullAsync(timeout.Token);
                }
                else
                {
                    await import.WriteAsync(r.Exception, NpgsqlDbType.Text, timeout.Token);
                }

                await import.WriteAsync(_process, NpgsqlDbType.Text, timeout.Token);
            }

            await import.CompleteAsync(timeout.Token);
            Written += batch.Count;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            // The database did not take the batch: it is dropped (the buffer keeps filling behind it, never blocking).
            Interlocked.Add(ref _dropped, batch.Count);
            ReportDrops($"the log database did not take a batch ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>Says how many records were dropped since the last report: on the console now, in the table later.</summary>
    private void ReportDrops(string reason)
    {
        var dropped = Dropped;
        var unreported = dropped - _droppedReported;
        if (unreported <= 0)
        {
            return;
        }

        _droppedReported = dropped;
        var message = $"Dropped {unreported} log record(s) ({dropped} in all): {reason}";
        Console.Error.WriteLine($"warn: {typeof(SystemLogSink).FullName}: {message}");
        Enqueue(new SystemLogRecord(DateTime.UtcNow, "WARNING", typeof(SystemLogSink).FullName!, 0, message, null));
    }
}
