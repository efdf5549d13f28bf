using System.Net;
using System.Text.Json;
using Scalar.AspNetCore;

namespace OwlFactory.ApiHost.Http;

/// <summary>
/// The interactive API reference (Scalar) at <c>/api/docs</c>. Scalar serves its own assets under that path, but its
/// index page starts the reference with an inline script, which the content security policy forbids; so the index
/// page and that start-up script (as a file of this origin) are served here instead.
/// </summary>
internal static class ApiReference
{
    private const string IndexHtml =
        """
        <!doctype html>
        <html>
        <head>
            <title>{0}</title>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
        </head>
        <body>
            <div id="app"></div>
            <script src="scalar.js"></script>
            <script type="module" src="owl-start.js"></script>
        </body>
        </html>
        """;

    /// <param name="app">Where to map it.</param>
    /// <param name="path">The page's path.</param>
    /// <param name="documentPattern">The OpenAPI document's route pattern.</param>
    /// <param name="title">The page's title.</param>
    /// <param name="exposure">To whom it is served.</param>
    /// <param name="configuration">Scalar's configuration (its JavaScript option names), the document source added here.</param>
    public static void MapApiReference(
        this IEndpointRouteBuilder app, string path, string documentPattern, string title, Exposure exposure, Dictionary<string, object> configuration)
    {
        app.MapScalarApiReference(path, o => o.WithOpenApiRoutePattern(documentPattern)).ExposedAs(exposure);

        var settings = new Dictionary<string, object>(configuration)
        {
            ["_integration"] = "dotnet",
            ["sources"] = new[] { new Dictionary<string, string> { ["title"] = "v1", ["url"] = documentPattern.TrimStart('/').Replace("{documentName}", "v1", StringComparison.Ordinal) } },
        };
        var start = $$"""
            import { initialize } from './scalar.aspnetcore.js'
            initialize('{{Uri.EscapeDataString(path + "/")}}', false, {{JsonSerializer.Serialize(settings)}}, '')
            """;
        var index = IndexHtml.Replace("{0}", WebUtility.HtmlEncode(title), StringComparison.Ordinal);
        app.MapGet(path, (HttpContext http) => http.Request.Path.Value!.EndsWith('/')
                ? Results.Content(index, "text/html; charset=utf-8")
                : Results.Redirect(path + "/"))
            .WithOrder(-1).ExcludeFromDescription().ExposedAs(exposure);
        app.MapGet(path + "/owl-start.js", () => Results.Content(start, "text/javascript; charset=utf-8"))
            .WithOrder(-1).ExcludeFromDescription().ExposedAs(exposure);
    }
}
