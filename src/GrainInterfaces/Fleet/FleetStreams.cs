namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>Stream namespaces of the fleet.</summary>
public static class FleetStreams
{
    /// <summary>Heartbeat telemetry, one stream per server (key: the server id).</summary>
    public const string Telemetry = "gpu-telemetry";
}
