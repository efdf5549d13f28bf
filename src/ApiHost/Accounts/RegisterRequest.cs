using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Accounts;

public sealed record RegisterRequest
{
    [Required(ErrorMessage = "is required")]
    [MaxLength(254, ErrorMessage = "must be at most 254 characters")]
    [RegularExpression(AccountRules.EmailPattern, ErrorMessage = "must be a valid email address")]
    public string? Email { get; init; }

    [Required(ErrorMessage = "is required")]
    [RegularExpression(AccountRules.UsernamePattern, ErrorMessage = "must be 3-50 letters, digits, '_' or '-'")]
    public string? Username { get; init; }

    [Required(ErrorMessage = "is required")]
    [StringLength(128, MinimumLength = 6, ErrorMessage = "must be 6-128 characters")]
    public string? Password { get; init; }

    [MaxLength(100, ErrorMessage = "must be at most 100 characters")]
    public string? FullName { get; init; }
}
