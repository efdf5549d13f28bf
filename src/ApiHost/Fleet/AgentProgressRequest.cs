using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Fleet;

public sealed record AgentProgressRequest
{
    [Range(0d, 100d, ErrorMessage = "must be between 0 and 100")]
    public double Progress { get; init; }
}
