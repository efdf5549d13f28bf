using System.Net;
using OwlFactory.ApiHost.Auth;

namespace OwlFactory.ApiHost.Http;

internal static class ExposureExtensions
{
    /// <summary>Restricts an endpoint as configured; <see cref="Exposure.Off"/> is handled by not mapping it.</summary>
    public static TBuilder ExposedAs<TBuilder>(this TBuilder builder, Exposure exposure)
        where TBuilder : IEndpointConventionBuilder
    {
        switch (exposure)
        {
            case Exposure.Admin:
                builder.RequireAuthorization(OwlClaims.AdminPolicy);
                break;
            case Exposure.Loopback:
                builder.Add(endpoint =>
                {
                    var next = endpoint.RequestDelegate!;
                    endpoint.RequestDelegate = context => context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
                        ? next(context)
                        : ApiResults.NotFound("Route").ExecuteAsync(context);
                });
                break;
        }

        return builder;
    }
}
