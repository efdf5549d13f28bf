using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.ApiHost.Auth;

/// <summary>
/// Token revocation: runs after a token's signature and lifetime check and asks the account's grain whether the token is still good, so a
/// password change, deactivation or role change revokes earlier tokens at once, on every API host, and a token whose
/// role is not the account's is refused.
/// </summary>
internal static class SessionValidator
{
    private const string ProfileKey = "owl.session.profile";
    private const string AccountKey = "owl.session.account";

    public static async Task OnTokenValidated(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (!Guid.TryParse(principal.FindFirstValue(OwlClaims.Subject), out var userId)
            || !int.TryParse(principal.FindFirstValue(OwlClaims.TokenVersion), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            context.Fail("The token does not name an account.");
            return;
        }

        var services = context.HttpContext.RequestServices;
        var (session, profileIsCurrent) = await services.GetRequiredService<SessionCache>().CheckAsync(userId, services.GetRequiredService<IClusterClient>());
        // The role is compared too: a token is only as good as the account it names, whatever else it claims.
        if (session is null || !session.IsActive || session.TokenVersion != version
            || !string.Equals(session.Role, principal.FindFirstValue(OwlClaims.Role), StringComparison.Ordinal))
        {
            context.Fail("The token has been revoked.");
            return;
        }

        if (profileIsCurrent)
        {
            context.HttpContext.Items[ProfileKey] = session.Profile;
        }

        context.HttpContext.Items[AccountKey] = userId;
    }

    /// <summary>
    /// After a request that may have changed its own account (any method but GET and HEAD), this host reads that
    /// account afresh: the user sees their own change at once here, whenever the announcement arrives.
    /// </summary>
    public static async Task ForgetOwnChanges(HttpContext http, RequestDelegate next)
    {
        await next(http);
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && http.Items[AccountKey] is Guid userId)
        {
            http.RequestServices.GetRequiredService<SessionCache>().ChangedHere(userId);
        }
    }

    /// <summary>
    /// The account's profile as the session check found it for this request, when no change was heard since (one read
    /// serves both); null otherwise.
    /// </summary>
    public static UserProfile? ProfileOf(HttpContext http) => http.Items[ProfileKey] as UserProfile;
}
