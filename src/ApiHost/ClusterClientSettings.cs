using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost;

/// <summary>Which cluster this API host talks to. Bound from <c>Owl:Cluster</c>, the same section the silos read.</summary>
public sealed class ClusterClientSettings
{
    public const string Section = "Owl:Cluster";

    [Required]
    public string ClusterId { get; set; } = "owl";

    [Required]
    public string ServiceId { get; set; } = "owl-factory";
}
