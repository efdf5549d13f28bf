namespace OwlFactory.Agent.Telemetry;

internal interface ITelemetrySource
{
    /// <summary>Reads the host and its GPUs now; <paramref name="busyGpus"/> run a task (a simulated source shows them busy).</summary>
    Task<TelemetrySnapshot> SampleAsync(IReadOnlySet<int> busyGpus, CancellationToken cancellationToken);
}
