namespace OwlFactory.Grains.Fleet;

/// <summary>A server's durable part: its <c>gpu_servers</c> row.</summary>
public sealed class GpuServerState
{
    public string Name { get; set; } = "";
    public string Host { get; set; } = "";
    public int GpuCount { get; set; }
    public int MaxConcurrentTasks { get; set; }
    public decimal TotalMemory { get; set; }
    public string? Description { get; set; }
    public string TokenHash { get; set; } = "";
    public string Status { get; set; } = "";
    public bool Maintenance { get; set; }
    public DateTime? LastHeartbeat { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
    public long Version { get; set; }

    public GpuServerState Copy() => (GpuServerState)MemberwiseClone();
}
