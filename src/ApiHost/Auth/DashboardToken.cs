using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace OwlFactory.ApiHost.Auth;

/// <summary>
/// A browser cannot send a bearer header to the Orleans dashboard's pages. On <c>/api/dashboard</c> only, a token
/// given once as <c>?access_token=</c> is accepted and, once it has passed every check (signature, lifetime, session)
/// and names an admin, kept in an HttpOnly, SameSite=Strict cookie scoped to that path, which the dashboard's own
/// requests then carry. A token that fails, or a plain user's, never gets a cookie.
/// </summary>
public static class DashboardToken
{
    private const string Path = "/api/dashboard";
    private const string Cookie = "owl_dashboard";
    private const string FromQueryKey = "owl.dashboard.token";

    public static Task OnMessageReceived(MessageReceivedContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(Path) || request.Headers.Authorization.Count > 0)
        {
            return Task.CompletedTask;
        }

        if (request.Query["access_token"] is [{ Length: > 0 } fromQuery])
        {
            context.Token = fromQuery;
            context.HttpContext.Items[FromQueryKey] = fromQuery;
        }
        else if (request.Cookies[Cookie] is { Length: > 0 } fromCookie)
        {
            context.Token = fromCookie;
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs after the session check: sets the cookie for a query token that passed and names an admin.</summary>
    public static void OnTokenValidated(TokenValidatedContext context)
    {
        if (context.Result?.Failure is not null
            || context.HttpContext.Items[FromQueryKey] is not string token
            || context.Principal?.IsAdmin() != true)
        {
            return;
        }

        context.Response.Cookies.Append(Cookie, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = Path,
            Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromMinutes(30),
        });
    }
}
