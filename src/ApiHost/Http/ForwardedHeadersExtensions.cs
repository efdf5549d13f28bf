using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace OwlFactory.ApiHost.Http;

internal static class ForwardedHeadersExtensions
{
    public const string TrustedProxiesKey = "Owl:Http:TrustedProxies";

    /// <summary>
    /// The client address is taken from the last <c>X-Forwarded-For</c> entry (one hop) when the connection comes
    /// from loopback (a front door on this machine, as under <c>./owl run</c>) or from a network listed in
    /// <c>Owl:Http:TrustedProxies</c> (a front door in another container or pod: docker/compose.yaml, docker/k8s/).
    /// Anyone else's header is ignored, so a client cannot pick the address its rate limits are counted under.
    /// </summary>
    public static IServiceCollection AddOwlForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        // Parsed here, so a malformed entry stops the start instead of silently trusting nothing.
        var networks = (configuration.GetSection(TrustedProxiesKey).Get<string[]>() ?? []).Select(ParseNetwork).ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    private static IPNetwork ParseNetwork(string value)
    {
        if (IPNetwork.TryParse(value, out var network))
        {
            return network;
        }

        if (IPAddress.TryParse(value, out var address))
        {
            return new IPNetwork(address, address.GetAddressBytes().Length * 8);
        }

        throw new InvalidOperationException(
            $"{TrustedProxiesKey} holds '{value}', which is neither an IP address nor a network in CIDR notation (10.0.0.0/8).");
    }
}
