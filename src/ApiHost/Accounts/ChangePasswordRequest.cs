using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Accounts;

public sealed record ChangePasswordRequest
{
    [Required(ErrorMessage = "is required")]
    [MaxLength(128, ErrorMessage = "must be at most 128 characters")]
    public string? CurrentPassword { get; init; }

    [Required(ErrorMessage = "is required")]
    [StringLength(128, MinimumLength = 6, ErrorMessage = "must be 6-128 characters")]
    public string? NewPassword { get; init; }
}
