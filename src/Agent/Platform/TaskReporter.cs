using System.Text.Json.Nodes;
using OwlFactory.Agent.Execution;

namespace OwlFactory.Agent.Platform;

/// <summary>
/// Delivers one task's reports to the platform, in order: <c>/start</c>, then log batches (at least every second)
/// and progress (only upward, at most about twice a second), then <c>/complete</c> or <c>/fail</c> once every log
/// line before it is delivered. Each call is retried with backoff while the API is unreachable; the reports wait in
/// memory meanwhile (logs bounded). A 404/409 means the task is not ours any more: the reporter abandons it and
/// says so through <c>onGone</c>.
/// </summary>
internal sealed partial class TaskReporter : IDisposable
{
    public const int MaxPendingLogLines = 20_000;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    private readonly AgentApiClient _api;
    private readonly ILogger _logger;
    private readonly Action<string> _onGone;
    private readonly Func<RetryBackoff> _newBackoff;
    private readonly Lock _gate = new();
    private readonly PendingLogLines _logs = new(MaxPendingLogLines);
    private readonly WakeSignal _wake = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _loopDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _startWanted;
    private bool _startDelivered;
    private bool _abandoned;
    private bool _disposed;
    private double _progress = -1;
    private double _sentProgress = -1;
    private DateTime _progressSentAt = DateTime.MinValue;
    private FinalReport? _final;

    /// <summary>Creates the reporter; <paramref name="newBackoff"/> makes each call's retry schedule (tests shorten it).</summary>
    public TaskReporter(string taskId, AgentApiClient api, ILogger logger, Action<string> onGone, Func<RetryBackoff>? newBackoff = null)
    {
        TaskId = taskId;
        _api = api;
        _logger = logger;
        _onGone = onGone;
        _newBackoff = newBackoff ?? (() => new RetryBackoff());
    }

    public string TaskId { get; }

    /// <summary>Ends when the reporter has nothing more to do: all delivered, abandoned, or stopped.</summary>
    public Task Completion => _loopDone.Task;

    /// <summary>Starts the delivery loop.</summary>
    public void Run() => _ = RunLoopAsync();

    /// <summary>The task's work has started: <c>/start</c> is due.</summary>
    public void MarkStarted() => Update(() => _startWanted = true);

    public void SetProgress(double progress)
    {
        lock (_gate)
        {
            _progress = Math.Max(_progress, progress);
        }
    }

    public void AddLog(TaskLogLine line)
    {
        bool batchFull;
        lock (_gate)
        {
            if (_abandoned)
            {
                return;
            }

            _logs.Add(line);
            batchFull = _logs.Count >= PendingLogLines.MaxLinesPerBatch;
        }

        if (batchFull)
        {
            _wake.Set();
        }
    }

    /// <summary>The task completed; sets the final report unless one is set already.</summary>
    public void Complete(JsonObject result) => Update(() => _final ??= new FinalReport(result, null));

    /// <summary>The task failed; sets the final report unless one is set already.</summary>
    public void Fail(string errorMessage) => Update(() => _final ??= new FinalReport(null, errorMessage));

    /// <summary>Reports nothing more for this task (cancelled, or not ours any more) and drops what waits.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            _abandoned = true;
            _logs.Clear();
            CancelLoop();
        }
    }

    /// <summary>Stops the loop where it is (shutdown), keeping what waits for <see cref="FlushOnceAsync"/>.</summary>
    public async Task StopAsync()
    {
        lock (_gate)
        {
            CancelLoop();
        }

        await Completion;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _stop.Cancel();
                _stop.Dispose();
            }
        }
    }

    /// <summary>
    /// At shutdown, after <see cref="StopAsync"/>: one attempt at each report still due (start, one log batch, the
    /// final report), no retries.
    /// </summary>
    public async Task FlushOnceAsync(CancellationToken cancellationToken)
    {
        FinalReport? final;
        IReadOnlyList<TaskLogEntry> batch;
        bool needStart;
        lock (_gate)
        {
            if (_abandoned)
            {
                return;
            }

            needStart = !_startDelivered && (_startWanted || _final is not null);
            batch = _logs.TakeBatch();
            final = _final;
        }

        if (needStart && (await _api.StartTaskAsync(TaskId, cancellationToken)).Status != ApiCallStatus.Ok)
        {
            return;
        }

        if (batch.Count > 0)
        {
            await _api.AppendLogsAsync(TaskId, batch, cancellationToken);
        }

        if (final is not null)
        {
            var result = await SendFinalAsync(final, cancellationToken);
            LogFinalAttempt(TaskId, final.Kind, result);
        }
    }

    // Under _gate: a reporter may be stopped after it was disposed (a late cancel), which must do nothing.
    private void CancelLoop()
    {
        if (!_disposed)
        {
            _stop.Cancel();
        }
    }

    private void Update(Action change)
    {
        lock (_gate)
        {
            change();
        }

        _wake.Set();
    }

    private async Task RunLoopAsync()
    {
        var ct = _stop.Token;
        try
        {
            while (!StartDue())
            {
                await _wake.WaitAsync(Timeout.InfiniteTimeSpan, ct);
            }

            if (!await DeliverAsync("start", c => _api.StartTaskAsync(TaskId, c), ct))
            {
                return;
            }

            lock (_gate)
            {
                _startDelivered = true;
            }

            while (true)
            {
                if (!await FlushLogsAsync(ct) || !await FlushProgressAsync(ct))
                {
                    return;
                }

                if (FinalDue() is { } final)
                {
                    await DeliverAsync(final.Kind, c => SendFinalAsync(final, c), ct);
                    return;
                }

                await _wake.WaitAsync(NextWakeDelay(), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped or abandoned.
        }
        finally
        {
            _loopDone.TrySetResult();
        }
    }

    private bool StartDue()
    {
        lock (_gate)
        {
            return _startWanted || _final is not null;
        }
    }

    private FinalReport? FinalDue()
    {
        lock (_gate)
        {
            return _logs.IsEmpty ? _final : null;
        }
    }

    private async Task<bool> FlushLogsAsync(CancellationToken ct)
    {
        while (true)
        {
            IReadOnlyList<TaskLogEntry> batch;
            lock (_gate)
            {
                batch = _logs.TakeBatch();
            }

            if (batch.Count == 0)
            {
                return true;
            }

            if (!await DeliverAsync("logs", c => _api.AppendLogsAsync(TaskId, batch, c), ct))
            {
                return false;
            }
        }
    }

    private async Task<bool> FlushProgressAsync(CancellationToken ct)
    {
        double progress;
        lock (_gate)
        {
            // The final report sets 100 itself; a late progress call would only race it.
            if (_progress <= _sentProgress || _final is not null || DateTime.UtcNow - _progressSentAt < ProgressInterval)
            {
                return true;
            }

            progress = _progress;
        }

        if (!await DeliverAsync("progress", c => _api.ReportProgressAsync(TaskId, progress, c), ct))
        {
            return false;
        }

        lock (_gate)
        {
            _sentProgress = progress;
            _progressSentAt = DateTime.UtcNow;
        }

        return true;
    }

    private TimeSpan NextWakeDelay()
    {
        lock (_gate)
        {
            if (_progress > _sentProgress && _final is null)
            {
                var wait = ProgressInterval - (DateTime.UtcNow - _progressSentAt);
                return wait < TimeSpan.Zero ? TimeSpan.Zero : (wait < FlushInterval ? wait : FlushInterval);
            }

            return FlushInterval;
        }
    }

    private Task<ApiCallResult> SendFinalAsync(FinalReport final, CancellationToken ct) =>
        final.Result is not null
            ? _api.CompleteTaskAsync(TaskId, new CompleteRequest(final.Result), ct)
            : _api.FailTaskAsync(TaskId, final.ErrorMessage ?? "failed", ct);

    /// <summary>Makes one call until it is delivered; false when the task is gone or the reporter stopped.</summary>
    private async Task<bool> DeliverAsync(string what, Func<CancellationToken, Task<ApiCallResult>> call, CancellationToken ct)
    {
        var backoff = _newBackoff();
        while (true)
        {
            var result = await call(ct);
            switch (result.Status)
            {
                case ApiCallStatus.Ok:
                    if (backoff.Failures > 0)
                    {
                        LogDelivered(TaskId, what, backoff.Failures);
                    }

                    return true;
                case ApiCallStatus.Gone:
                    LogTaskGone(TaskId, what, result);
                    Abandon();
                    _onGone(TaskId);
                    return false;
                case ApiCallStatus.Rejected:
                    // Sending it again would be refused again: skip this report, keep the others flowing.
                    LogReportRejected(TaskId, what, result);
                    return true;
                default:
                    var delay = backoff.NextDelay();
                    LogDeliveryRetry(TaskId, what, result, backoff.Failures, delay.TotalSeconds);
                    await Task.Delay(delay, ct);
                    break;
            }
        }
    }

    private sealed record FinalReport(JsonObject? Result, string? ErrorMessage)
    {
        public string Kind => Result is not null ? "complete" : "fail";
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Task {TaskId}: /{Report} not delivered ({Result}), attempt {Attempt}; retrying in {DelaySeconds:0.0} s")]
    private partial void LogDeliveryRetry(string taskId, string report, ApiCallResult result, int attempt, double delaySeconds);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Task {TaskId}: /{Report} delivered after {Failures} failed attempts")]
    private partial void LogDelivered(string taskId, string report, int failures);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Task {TaskId}: /{Report} answered {Result}: the task is not ours any more or its state forbids it; stopping it")]
    private partial void LogTaskGone(string taskId, string report, ApiCallResult result);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Task {TaskId}: /{Report} refused ({Result}); skipping that report")]
    private partial void LogReportRejected(string taskId, string report, ApiCallResult result);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Task {TaskId}: last /{Report} before shutdown: {Result}")]
    private partial void LogFinalAttempt(string taskId, string report, ApiCallResult result);
}
