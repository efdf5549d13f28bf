using System.Text.Json;
using Microsoft.AspNetCore.HttpOverrides;
using OwlFactory.ApiHost.Frontend;
using OwlFactory.ApiHost.Input;
using OwlFactory.ApiHost.OpenApi;

namespace OwlFactory.ApiHost.Http;

public static class HttpSetupExtensions
{
    /// <summary>
    /// HTTP: snake_case JSON under the one input policy, a 1 MiB body limit, bad input thrown to the one exception
    /// handler, the client's address from a proxy's X-Forwarded-For, the API description.
    /// </summary>
    public static WebApplicationBuilder AddOwlHttp(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = 1024 * 1024);
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
            o.SerializerOptions.Converters.Add(new MoneyJsonConverter());
            InputPolicy.Configure(o.SerializerOptions);
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddOwlForwardedHeaders(builder.Configuration);
        services.AddOwlOpenApi();
        services.Configure<RouteOptions>(o => o.SetParameterPolicy<ConsoleRouteConstraint>(WebConsole.RouteConstraint));
        return builder;
    }
}
