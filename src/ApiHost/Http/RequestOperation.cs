using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace OwlFactory.ApiHost.Http;

/// <summary>
/// Where a request's operation ids come from: the ids a mutating endpoint hands to its grain call, which the grain
/// remembers so that a resend applies nothing twice. Without a front door each request is a new operation (fresh
/// ids). Behind the front door a request carries <see cref="HeaderName"/>, the same on every upstream try of one client
/// request; the front door resends a request to another API host when the first one died under it, and the ids derived
/// from that header make the resend the same operation. The header is believed only from a proxy trusted for
/// X-Forwarded-For (loopback by default), and dropped from anyone else.
/// </summary>
public sealed class RequestOperation
{
    public const string HeaderName = "X-Owl-Operation-Id";

    private const int MaxHeaderLength = 128;
    private static readonly RequestOperation Fresh = new(null);

    private readonly string? _frontDoorId;

    private RequestOperation(string? frontDoorId) => _frontDoorId = frontDoorId;

    /// <summary>True when the ids come from the front door's request id (a resend gets the same ids).</summary>
    public bool FromFrontDoor => _frontDoorId is not null;

    /// <summary>
    /// The request's operation id for <paramref name="purpose"/> (one request may need several ids, each for its own
    /// purpose): derived from the front door's request id, or a fresh time-ordered id without one.
    /// </summary>
    public Guid Id(string purpose)
    {
        if (_frontDoorId is null)
        {
            return Guid.CreateVersion7();
        }

        // A name-based id, marked as RFC 9562's version 8 so that nobody reads a time stamp into it (a version 7 id's
        // first 48 bits are its creation time, which the user grain trusts to skip looking up resends).
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{_frontDoorId}\n{purpose}"), digest);
        digest[6] = (byte)((digest[6] & 0x0F) | 0x80);
        digest[8] = (byte)((digest[8] & 0x3F) | 0x80);
        return new Guid(digest[..16], bigEndian: true);
    }

    /// <summary>Minimal APIs bind a handler's <see cref="RequestOperation"/> parameter from what <see cref="Capture"/> kept.</summary>
    public static ValueTask<RequestOperation?> BindAsync(HttpContext context)
        => ValueTask.FromResult<RequestOperation?>(context.Features.Get<RequestOperation>() ?? Fresh);

    /// <summary>
    /// Middleware, before <c>UseForwardedHeaders</c> (which replaces the proxy's address with the client's): keeps the
    /// header when the connection comes from a trusted proxy, and removes it from every request.
    /// </summary>
    public static Task Capture(HttpContext context, RequestDelegate next)
    {
        var headers = context.Request.Headers;
        if (headers.TryGetValue(HeaderName, out var values))
        {
            headers.Remove(HeaderName);
            if (values is [{ Length: > 0 and <= MaxHeaderLength } id]
                && IsTrustedProxy(context.Connection.RemoteIpAddress, context.RequestServices.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value))
            {
                context.Features.Set(new RequestOperation(id));
            }
        }

        return next(context);
    }

    private static bool IsTrustedProxy(IPAddress? remote, ForwardedHeadersOptions options)
    {
        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        return options.KnownProxies.Contains(remote) || options.KnownIPNetworks.Any(network => network.Contains(remote));
    }
}
