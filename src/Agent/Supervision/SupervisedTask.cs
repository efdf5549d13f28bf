using System.Globalization;
using OwlFactory.Agent.Execution;
using OwlFactory.Agent.Platform;

namespace OwlFactory.Agent.Supervision;

/// <summary>A task this agent holds: its run, its reporter, and why it was stopped (if it was).</summary>
internal sealed class SupervisedTask : ITaskObserver, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private double _progress;
    private bool _running = true;
    private StopReason _stopReason;
    private bool _disposed;

    public SupervisedTask(TaskAssignment assignment, int? gpu, TaskReporter reporter)
    {
        Assignment = assignment;
        Gpu = gpu;
        Reporter = reporter;
        Launch = new TaskLaunch(assignment.TaskId, assignment.TaskType, assignment.Attempt, assignment.ConfigJson(), gpu);
    }

    public TaskAssignment Assignment { get; }

    public TaskLaunch Launch { get; }

    public int? Gpu { get; }

    /// <summary>The GPU for logs: its index, or "none".</summary>
    public string GpuLabel => Gpu?.ToString(CultureInfo.InvariantCulture) ?? "none";

    public TaskReporter Reporter { get; }

    public string TaskId => Assignment.TaskId;

    /// <summary>The whole life of the task in this agent: the run, then the delivery of its reports.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    public CancellationToken StopToken => _stop.Token;

    public TimeSpan? Timeout => Assignment.TimeoutSeconds is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;

    public StopReason StopReason
    {
        get
        {
            lock (_gate)
            {
                return _stopReason;
            }
        }
    }

    /// <summary>True while its work runs (for a heartbeat's running_tasks).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    public double Progress
    {
        get
        {
            lock (_gate)
            {
                return _progress;
            }
        }
    }

    /// <summary>Stops the work (the first reason given sticks).</summary>
    public void Stop(StopReason reason)
    {
        lock (_gate)
        {
            if (_stopReason == StopReason.None)
            {
                _stopReason = reason;
            }

            // A stop may come after the task was let go (a late cancel): then there is nothing to stop.
            if (!_disposed)
            {
                _stop.Cancel();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stop.Dispose();
        }

        Reporter.Dispose();
    }

    public void MarkExited()
    {
        lock (_gate)
        {
            _running = false;
        }
    }

    public void OnStarted() => Reporter.MarkStarted();

    public void OnProgress(double progress)
    {
        lock (_gate)
        {
            _progress = Math.Max(_progress, progress);
        }

        Reporter.SetProgress(progress);
    }

    public void OnLog(TaskLogLine line) => Reporter.AddLog(line);
}
