namespace OwlFactory.ApiHost.Health;

/// <summary>
/// An orderly stop (SIGTERM) of an API host: readiness answers 503 at once and requests that came through the front
/// door are answered 503 for it to resend elsewhere (<see cref="FrontDoorGate"/>), while requests sent here directly are
/// still served for <see cref="DrainTime"/>; then Kestrel stops and waits for the requests in flight (up to the host's
/// shutdown timeout) before the cluster client goes.
/// </summary>
public sealed partial class ShutdownDrain(IConfiguration configuration, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    private volatile bool _started;
    private volatile bool _stopping;

    /// <summary>True once the host has been asked to stop: readiness then says not ready.</summary>
    public bool Stopping => _stopping;

    /// <summary>
    /// True from the moment every hosted service has started (the cluster client is connected; Kestrel may listen
    /// earlier) until the host is asked to stop: the time the front door may send requests here.
    /// </summary>
    public bool Serving => _started && !_stopping;

    /// <summary>How long the host lingers after readiness turned 503: time for a load balancer that checks readiness to move away.</summary>
    public TimeSpan DrainTime => TimeSpan.FromSeconds(configuration.GetValue("Owl:Shutdown:DrainSeconds", 3.0));

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        LogDraining(DrainTime.TotalSeconds);
        try
        {
            await Task.Delay(DrainTime, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout ran out; stop now.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _started = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2110, Level = LogLevel.Information, Message = "Stopping: readiness answers 503; serving for {Seconds} s more while the front door moves away")]
    private partial void LogDraining(double seconds);
}
