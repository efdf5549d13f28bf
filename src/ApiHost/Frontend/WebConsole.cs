using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace OwlFactory.ApiHost.Frontend;

/// <summary>
/// The web console: the single-page app that the build puts in wwwroot (src/WebConsole), served at "/". Its
/// assets are named by content hash and cached for a year; index.html is revalidated on every load, and every
/// page address of the app that is not under /api answers with it, so a reload on /tasks/… works.
/// </summary>
public static class WebConsole
{
    public const string RouteConstraint = "console";

    public static void UseWebConsole(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = SetCacheHeaders });
    }

    public static void MapWebConsole(this IEndpointRouteBuilder routes)
        => routes.MapFallbackToFile($"{{*path:{RouteConstraint}}}", "index.html", new StaticFileOptions { OnPrepareResponse = SetCacheHeaders })
            .ExcludeFromDescription();

    private static void SetCacheHeaders(StaticFileResponseContext context)
    {
        var headers = context.Context.Response.Headers;
        headers[HeaderNames.CacheControl] = context.Context.Request.Path.StartsWithSegments("/assets")
            ? "public, max-age=31536000, immutable"
            : "no-cache";
    }
}
