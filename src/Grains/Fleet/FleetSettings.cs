namespace OwlFactory.Grains.Fleet;

/// <summary>Heartbeat timing. Bound from <c>Owl:Fleet</c>; the offline timeout is live config (heartbeat_timeout_seconds).</summary>
public sealed class FleetSettings
{
    public const string Section = "Owl:Fleet";

    /// <summary>How often agents are told to send heartbeats.</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 5;

    /// <summary>How much telemetry history a server keeps in memory for charts.</summary>
    public int HistoryMinutes { get; set; } = 60;
}
