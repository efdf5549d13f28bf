using Microsoft.AspNetCore.Mvc.ApiExplorer;
using OwlFactory.ApiHost.Http;

namespace OwlFactory.ApiHost.OpenApi;

/// <summary>
/// The OpenAPI document (/api/openapi/v1.json) and the reference page (/api/docs): the contract's operations only,
/// with its names, examples and the bearer scheme, and a page that loads nothing from outside this host.
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddOwlOpenApi(this IServiceCollection services)
        => services.AddOpenApi(o =>
        {
            o.ShouldInclude = IsPublicApi;
            o.AddDocumentTransformer<ContractDocumentTransformer>();
            o.AddOperationTransformer<ContractOperationTransformer>();
        });

    /// <summary>The document and the reference page, served to whom <paramref name="exposure"/> says.</summary>
    public static void MapOwlApiDocs(this WebApplication app, Exposure exposure)
    {
        const string document = "/api/openapi/{documentName}.json";
        app.MapOpenApi(document).ExposedAs(exposure);
        app.MapApiReference("/api/docs", document, $"{ContractCatalog.Title} {ContractCatalog.Version}", exposure, new Dictionary<string, object>
        {
            // Everything from this host: no web fonts, no "open in client" or AI buttons, no telemetry; curl first,
            // the bearer scheme preselected and remembered, so "try it" works after pasting a token once.
            ["customCss"] = "a[href*='scalar.com'] { display: none !important; }",
            ["defaultHttpClient"] = new Dictionary<string, string> { ["targetKey"] = "shell", ["clientKey"] = "curl" },
            ["authentication"] = new Dictionary<string, string[]> { ["preferredSecurityScheme"] = [BearerScheme] },
            ["withDefaultFonts"] = false,
            ["favicon"] = "/owl.svg",
            ["hideClientButton"] = true,
            ["persistAuth"] = true,
            ["telemetry"] = false,
            ["showDeveloperTools"] = "never",
            ["agent"] = new Dictionary<string, bool> { ["disabled"] = true },
            ["mcp"] = new Dictionary<string, bool> { ["disabled"] = true },
        });
    }

    /// <summary>The API proper: not the Orleans dashboard's routes, not the document itself, nothing outside /api.</summary>
    private static bool IsPublicApi(ApiDescription description)
    {
        var path = description.RelativePath ?? "";
        return path.StartsWith("api/", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWith("api/dashboard", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWith("api/openapi", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWith("api/docs", StringComparison.OrdinalIgnoreCase);
    }
}
