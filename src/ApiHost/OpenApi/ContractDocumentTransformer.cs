using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OwlFactory.ApiHost.OpenApi;

/// <summary>The document as the contract names it: title, version, the introduction, the groups and the bearer scheme.</summary>
internal sealed class ContractDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = ContractCatalog.Title,
            Version = ContractCatalog.Version,
            Description = ApiIntroduction.Markdown,
        };
        document.Tags = new HashSet<OpenApiTag>(ContractCatalog.Groups.Select(g => new OpenApiTag { Name = g.Tag, Description = g.Description }));
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[OpenApiSetup.BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "POST /api/auth/login 返回的 access_token（Agent 接口用服务器的 agent token）。粘贴 token 本身，不带 \"Bearer \" 前缀。",
        };
        return Task.CompletedTask;
    }
}
