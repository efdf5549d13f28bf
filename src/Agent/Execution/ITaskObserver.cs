namespace OwlFactory.Agent.Execution;

/// <summary>
/// What an executor reports while it runs. Calls may come from two threads at once (a child's stdout and stderr),
/// so implementations must be thread-safe.
/// </summary>
internal interface ITaskObserver
{
    /// <summary>The work has started (for a child process: it exists).</summary>
    void OnStarted();

    /// <summary>Progress went up; 0–100, never lower than a value reported before.</summary>
    void OnProgress(double progress);

    void OnLog(TaskLogLine line);
}
