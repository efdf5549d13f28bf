using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Accounts;

public sealed record LoginRequest
{
    [Required(ErrorMessage = "is required")]
    [MaxLength(254, ErrorMessage = "must be at most 254 characters")]
    public string? Email { get; init; }

    [Required(ErrorMessage = "is required")]
    [MaxLength(128, ErrorMessage = "must be at most 128 characters")]
    public string? Password { get; init; }
}
