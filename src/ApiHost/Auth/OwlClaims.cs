using System.Security.Claims;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.ApiHost.Auth;

/// <summary>The claims Owl Factory puts in its tokens, and how endpoints read them.</summary>
public static class OwlClaims
{
    public const string Subject = "sub";
    public const string Role = "role";

    /// <summary>The account's token version at issue time; a token whose version is behind the account's is revoked.</summary>
    public const string TokenVersion = "ver";

    public const string AdminPolicy = "admin";

    public static Guid GetUserId(this ClaimsPrincipal user)
        => Guid.Parse(user.FindFirstValue(Subject) ?? throw new InvalidOperationException("The principal has no subject."));

    /// <summary>admin or super_admin (<see cref="UserRole.IsAdmin"/>).</summary>
    public static bool IsAdmin(this ClaimsPrincipal user)
        => user.FindFirstValue(Role) is { } role && UserRole.IsAdmin(role);
}
