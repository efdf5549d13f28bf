namespace OwlFactory.Agent.Telemetry;

internal sealed record TelemetrySnapshot(HostSample Host, IReadOnlyList<GpuSample> Gpus);
