namespace OwlFactory.Agent.Execution;

/// <summary>One run of one task by one executor.</summary>
internal interface ITaskExecution
{
    /// <summary>
    /// Runs the task to its end. Cancellation stops it (a child process tree is killed) and yields
    /// <see cref="TaskOutcomeKind.Cancelled"/>; it does not throw.
    /// </summary>
    Task<TaskOutcome> RunAsync(ITaskObserver observer, CancellationToken cancellationToken);
}
