using OwlFactory.Agent.Telemetry;

namespace OwlFactory.Agent.Platform;

/// <summary>The body of <c>POST /api/agent/heartbeat</c>.</summary>
internal sealed record HeartbeatRequest(
    string AgentVersion,
    IReadOnlyList<string> TaskTypes,
    double CpuUsage,
    double MemoryUsage,
    IReadOnlyList<GpuReport> Gpus,
    IReadOnlyList<RunningTaskReport> RunningTasks)
{
    /// <summary>
    /// The heartbeat for a telemetry reading. Readings the driver does not give are sent as 0: the platform's
    /// numbers are not nullable, and one odd GPU must not get the whole heartbeat refused.
    /// </summary>
    public static HeartbeatRequest Create(
        string agentVersion, IReadOnlyList<string> taskTypes, TelemetrySnapshot telemetry, IReadOnlyList<RunningTaskReport> runningTasks)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        var gpus = telemetry.Gpus
            .Select(g => new GpuReport(
                g.Index,
                g.Name,
                Math.Round(g.Utilization ?? 0, 1),
                g.MemoryUsedGiB ?? 0,
                g.MemoryTotalGiB ?? 0,
                g.Temperature ?? 0))
            .ToList();
        return new HeartbeatRequest(
            agentVersion,
            taskTypes,
            Math.Round(telemetry.Host.CpuUsage, 1),
            Math.Round(telemetry.Host.MemoryUsage, 1),
            gpus,
            runningTasks);
    }
}
