namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>A GPU server's status: online, busy (no free slot), offline (heartbeats lost), maintenance (set by an admin).</summary>
public static class ServerStatus
{
    public const string Online = "online";
    public const string Busy = "busy";
    public const string Offline = "offline";
    public const string Maintenance = "maintenance";
}
