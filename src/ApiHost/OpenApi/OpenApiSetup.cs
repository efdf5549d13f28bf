using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Scalar.AspNetCore;

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

    public static void MapOwlApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/api/openapi/{documentName}.json");
        app.MapScalarApiReference("/api/docs", o => o
            .WithOpenApiRoutePattern("/api/openapi/{documentName}.json")
            .WithTitle($"{ContractCatalog.Title} {ContractCatalog.Version}")
            .WithFavicon("/owl.svg")
            .AddPreferredSecuritySchemes(BearerScheme)
            .EnablePersistentAuthentication()
            .WithDefaultHttpClient(ScalarTarget.Shell, ScalarClient.Curl)
            // Everything from this host: no web fonts, no "open in client" or AI buttons, no telemetry.
            .DisableDefaultFonts()
            .HideClientButton()
            .DisableAgent()
            .DisableMcp()
            .DisableTelemetry()
            .HideDeveloperTools()
            .WithCustomCss("a[href*='scalar.com'] { display: none !important; }"));
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
