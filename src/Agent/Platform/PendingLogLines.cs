using System.Globalization;
using OwlFactory.Agent.Execution;

namespace OwlFactory.Agent.Platform;

/// <summary>
/// A task's log lines waiting for <c>/logs</c>, bounded: while the API is away a chatty task must not eat the
/// agent's memory. Lines past the bound are counted, and the count is reported once the lines flow again.
/// Not thread-safe: its owner locks.
/// </summary>
internal sealed class PendingLogLines(int capacity, long maxPendingChars = PendingLogLines.DefaultMaxPendingChars)
{
    /// <summary>About 8 MiB of text per task (with at most 16 Ki chars a line, the line count alone would allow far more).</summary>
    public const long DefaultMaxPendingChars = 4 * 1024 * 1024;
    public const int MaxLinesPerBatch = 1000;
    // The API takes at most 1 MiB a body; this leaves room for the JSON around the messages.
    public const int MaxBytesPerBatch = 900 * 1024;
    private const int BytesPerLineOverhead = 80;

    private readonly Queue<TaskLogLine> _lines = new();
    private long _dropped;
    private long _pendingChars;

    public int Count => _lines.Count;

    public bool IsEmpty => _lines.Count == 0 && _dropped == 0;

    public void Add(TaskLogLine line)
    {
        if (_lines.Count >= capacity || _pendingChars + line.Message.Length > maxPendingChars)
        {
            _dropped++;
            return;
        }

        _lines.Enqueue(line);
        _pendingChars += line.Message.Length;
    }

    public void Clear()
    {
        _lines.Clear();
        _dropped = 0;
        _pendingChars = 0;
    }

    /// <summary>Removes and returns the next batch: at most 1000 lines and about 900 KiB of JSON.</summary>
    public IReadOnlyList<TaskLogEntry> TakeBatch()
    {
        var batch = new List<TaskLogEntry>();
        var bytes = 0L;
        if (_dropped > 0)
        {
            var notice = string.Create(CultureInfo.InvariantCulture, $"agent dropped {_dropped} log lines while the platform could not be reached");
            batch.Add(new TaskLogEntry(DateTime.UtcNow, "WARN", notice));
            bytes += EstimateBytes(notice);
            _dropped = 0;
        }

        while (_lines.TryPeek(out var line) && batch.Count < MaxLinesPerBatch)
        {
            var size = EstimateBytes(line.Message);
            if (batch.Count > 0 && bytes + size > MaxBytesPerBatch)
            {
                break;
            }

            _lines.Dequeue();
            _pendingChars -= line.Message.Length;
            batch.Add(new TaskLogEntry(line.Timestamp, LevelName(line.Level), line.Message));
            bytes += size;
        }

        return batch;
    }

    public static string LevelName(TaskLogLevel level) => level switch
    {
        TaskLogLevel.Warning => "WARN",
        TaskLogLevel.Error => "ERROR",
        _ => "INFO",
    };

    /// <summary>An upper bound of the message's size as JSON: the serializer may escape any non-ASCII char as \uXXXX.</summary>
    private static long EstimateBytes(string message)
    {
        long bytes = BytesPerLineOverhead;
        foreach (var c in message)
        {
            bytes += c is >= ' ' and < (char)0x7F ? 1 : 6;
        }

        return bytes;
    }
}
