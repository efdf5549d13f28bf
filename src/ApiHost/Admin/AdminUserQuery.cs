using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using OwlFactory.ApiHost.Http;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.ApiHost.Admin;

public sealed class AdminUserQuery : PageQuery
{
    [FromQuery(Name = "role")]
    [AllowedValues(null, UserRole.User, UserRole.Admin, UserRole.SuperAdmin, ErrorMessage = "must be one of user, admin, super_admin")]
    public string? Role { get; init; }

    [FromQuery(Name = "is_active")]
    public bool? IsActive { get; init; }

    /// <summary>Matched (case-insensitively, as a substring) against email, username and full name.</summary>
    [FromQuery(Name = "search")]
    [MaxLength(100, ErrorMessage = "must be at most 100 characters")]
    public string? Search { get; init; }
}
