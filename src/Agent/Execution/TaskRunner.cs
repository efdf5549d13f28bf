namespace OwlFactory.Agent.Execution;

/// <summary>Runs an execution under the task's time limit.</summary>
internal static class TaskRunner
{
    /// <summary>
    /// Runs <paramref name="execution"/>; past <paramref name="timeout"/> (the task's <c>timeout_seconds</c>, null for
    /// none) it is stopped and the outcome is <see cref="TaskOutcomeKind.TimedOut"/>. <paramref name="cancellationToken"/>
    /// is a cancel from the platform, a lost task, or shutdown.
    /// </summary>
    public static async Task<TaskOutcome> RunAsync(
        ITaskExecution execution, ITaskObserver observer, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        using var deadline = new CancellationTokenSource();
        if (timeout is { } limit)
        {
            deadline.CancelAfter(limit);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var outcome = await execution.RunAsync(observer, linked.Token);
        return outcome.Kind == TaskOutcomeKind.Cancelled && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            ? TaskOutcome.TimedOut(timeout!.Value)
            : outcome;
    }
}
