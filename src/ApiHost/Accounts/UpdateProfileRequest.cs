using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Accounts;

/// <summary>Only these two fields are ever applied; anything else in the body (role, balance…) is ignored.</summary>
public sealed record UpdateProfileRequest
{
    // [RegularExpression] lets an empty string through; an empty username is not a username.
    [MinLength(3, ErrorMessage = "must be 3-50 letters, digits, '_' or '-'")]
    [RegularExpression(AccountRules.UsernamePattern, ErrorMessage = "must be 3-50 letters, digits, '_' or '-'")]
    public string? Username { get; init; }

    [MaxLength(100, ErrorMessage = "must be at most 100 characters")]
    public string? FullName { get; init; }
}
