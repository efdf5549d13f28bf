using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Streaming;

/// <summary>Limits on Server-Sent Event streams. Bound from <c>Owl:Streams</c>.</summary>
public sealed class StreamSettings
{
    public const string Section = "Owl:Streams";

    /// <summary>Streams one account may hold open at once on one API host; one more is a 429.</summary>
    [Range(1, 1000)]
    public int MaxPerUser { get; set; } = 16;

    /// <summary>How often an open stream re-checks its session; a revoked session ends the stream within this time.</summary>
    [Range(1, 60)]
    public int SessionCheckSeconds { get; set; } = 3;
}
