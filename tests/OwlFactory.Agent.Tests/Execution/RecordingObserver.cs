using OwlFactory.Agent.Execution;

namespace OwlFactory.Agent.Tests.Execution;

/// <summary>Records what an execution reports, from any thread.</summary>
internal sealed class RecordingObserver : ITaskObserver
{
    private readonly Lock _gate = new();
    private readonly List<double> _progress = [];
    private readonly List<TaskLogLine> _logs = [];
    private int _started;

    public int Started => Volatile.Read(ref _started);

    public IReadOnlyList<double> Progress
    {
        get
        {
            lock (_gate)
            {
                return [.. _progress];
            }
        }
    }

    public IReadOnlyList<TaskLogLine> Logs
    {
        get
        {
            lock (_gate)
            {
                return [.. _logs];
            }
        }
    }

    public void OnStarted() => Interlocked.Increment(ref _started);

    public void OnProgress(double progress)
    {
        lock (_gate)
        {
            _progress.Add(progress);
        }
    }

    public void OnLog(TaskLogLine line)
    {
        lock (_gate)
        {
            _logs.Add(line);
        }
    }
}
