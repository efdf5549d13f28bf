using System.Diagnostics.Metrics;

namespace OwlFactory.GrainInterfaces;

/// <summary>
/// The platform's own instruments, on the meter every process exports (docs/operations.md lists them with the
/// Orleans and ASP.NET Core ones).
/// </summary>
public static class OwlMetrics
{
    public const string MeterName = "OwlFactory";

    public static readonly Meter Meter = new(MeterName);

    /// <summary>Agent heartbeats received by this API host; its rate is heartbeats per second.</summary>
    public static readonly Counter<long> Heartbeats = Meter.CreateCounter<long>("owl.heartbeats", description: "Agent heartbeats received");

    /// <summary>Tasks handed to servers by this silo's server grains.</summary>
    public static readonly Counter<long> TasksDispatched = Meter.CreateCounter<long>("owl.tasks.dispatched", description: "Tasks assigned to GPU servers");

    /// <summary>From a server's slot coming free to its next task being assigned, when work was waiting.</summary>
    public static readonly Histogram<double> DispatchLatency = Meter.CreateHistogram<double>(
        "owl.dispatch.latency", unit: "ms", description: "Free slot to the next task assigned to it");
}
