using System.ComponentModel.DataAnnotations;
using OwlFactory.ApiHost.Accounts;
using OwlFactory.ApiHost.Http;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.ApiHost.Admin;

/// <summary>Fields left out keep their value. <c>balance</c> is the new balance; the difference becomes a ledger adjustment.</summary>
public sealed record AdminUpdateUserRequest
{
    [AllowedValues(null, UserRole.User, UserRole.Admin, UserRole.SuperAdmin, ErrorMessage = "must be one of user, admin, super_admin")]
    public string? Role { get; init; }

    public bool? IsActive { get; init; }

    [Money(0, 1_000_000_000)]
    public decimal? Balance { get; init; }

    // [RegularExpression] lets an empty string through; an empty username is not a username.
    [MinLength(3, ErrorMessage = "must be 3-50 letters, digits, '_' or '-'")]
    [RegularExpression(AccountRules.UsernamePattern, ErrorMessage = "must be 3-50 letters, digits, '_' or '-'")]
    public string? Username { get; init; }

    [MaxLength(100, ErrorMessage = "must be at most 100 characters")]
    public string? FullName { get; init; }
}
