using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace OwlFactory.ApiHost.Auth;

/// <summary>
/// A browser cannot send a bearer header to the Orleans dashboard's pages. On <c>/api/dashboard</c> only, a token
/// given once as <c>?access_token=</c> is accepted and kept in an HttpOnly, SameSite=Strict cookie scoped to that
/// path, which the dashboard's own requests then carry. The token is still an admin's JWT, checked as any other.
/// </summary>
public static class DashboardToken
{
    private const string Path = "/api/dashboard";
    private const string Cookie = "owl_dashboard";

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
            context.Response.Cookies.Append(Cookie, fromQuery, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = Path,
                Secure = request.IsHttps,
                MaxAge = TimeSpan.FromMinutes(30),
            });
        }
        else if (request.Cookies[Cookie] is { Length: > 0 } fromCookie)
        {
            context.Token = fromCookie;
        }

        return Task.CompletedTask;
    }
}
