using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Fleet;

public sealed record AgentFailRequest
{
    [Required(ErrorMessage = "is required")]
    [MaxLength(4000, ErrorMessage = "must be at most 4000 characters")]
    public string? ErrorMessage { get; init; }
}
