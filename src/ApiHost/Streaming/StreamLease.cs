namespace OwlFactory.ApiHost.Streaming;

/// <summary>
/// One open stream: its <see cref="Token"/> is cancelled when the client goes away, when the session is found revoked,
/// or when the request ends; disposing the lease gives its place back.
/// </summary>
public sealed class StreamLease : IDisposable
{
    private readonly StreamSessions _owner;
    private readonly Guid _userId;
    private readonly CancellationTokenSource _cancellation;
    private int _disposed;

    internal StreamLease(StreamSessions owner, Guid userId, string role, int version, TimeSpan checkEvery, CancellationToken requestAborted)
    {
        _owner = owner;
        _userId = userId;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        Token = _cancellation.Token;
        _ = WatchAsync(role, version, checkEvery);
    }

    /// <summary>Cancelled when the stream must end.</summary>
    public CancellationToken Token { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _cancellation.Cancel();
            _cancellation.Dispose();
            _owner.Release(_userId);
        }
    }

    private async Task WatchAsync(string role, int version, TimeSpan checkEvery)
    {
        try
        {
            using var timer = new PeriodicTimer(checkEvery);
            while (await timer.WaitForNextTickAsync(Token))
            {
                if (!await _owner.StillValidAsync(_userId, role, version))
                {
                    await _cancellation.CancelAsync();
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The stream ended first.
        }
    }
}
