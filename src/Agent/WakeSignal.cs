namespace OwlFactory.Agent;

/// <summary>An auto-reset signal for one waiter: <see cref="Set"/> ends the current (or next) wait early.</summary>
internal sealed class WakeSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _signal = NewSource();

    public void Set()
    {
        lock (_gate)
        {
            _signal.TrySetResult();
        }
    }

    /// <summary>
    /// Waits until set or until <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/> for no limit); true
    /// when set. Throws when cancelled.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task signalled;
        lock (_gate)
        {
            signalled = _signal.Task;
        }

        if (!signalled.IsCompleted && timeout != TimeSpan.Zero)
        {
            // The delay is cancelled when the signal wins, so no timer or token registration outlives the wait.
            using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(signalled, Task.Delay(timeout, delayCancellation.Token));
            await delayCancellation.CancelAsync();
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_signal.Task.IsCompleted)
            {
                return false;
            }

            _signal = NewSource();
            return true;
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
