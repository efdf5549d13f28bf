using OwlFactory.ApiHost.Http;

namespace OwlFactory.ApiHost.Health;

/// <summary>
/// A request that came through the front door is answered 503 at once while this host is not serving (still
/// connecting to the cluster, or asked to stop): the front door resends it to another API host (nginx's
/// <c>proxy_next_upstream http_503</c>) with the same operation id, so a starting or draining host costs a client
/// nothing. Requests straight to this host (no front door) are served during the drain as before, and health checks
/// always pass through.
/// </summary>
internal static class FrontDoorGate
{
    public static IApplicationBuilder UseFrontDoorGate(this IApplicationBuilder app)
        => app.Use((context, next) =>
        {
            if (context.Features.Get<RequestOperation>() is { FromFrontDoor: true }
                && !context.RequestServices.GetRequiredService<ShutdownDrain>().Serving
                && !context.Request.Path.StartsWithSegments("/api/health"))
            {
                context.Response.Headers.RetryAfter = "1";
                return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServerUnavailable,
                    "This API host is not serving; try again").ExecuteAsync(context);
            }

            return next(context);
        });
}
