using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.ApiHost.Auth;

/// <summary>
/// Authenticates GPU agents by their agent token. The check goes to the server's grain on every call, so a rotated
/// token stops working at once on every API host: here, or, on an endpoint marked <see cref="TokenCheckedByEndpoint"/>,
/// in that endpoint's own grain call (which answers 401 for a wrong token). A user's JWT is not an agent token, and
/// fails here.
/// </summary>
internal sealed class AgentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IClusterClient client)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Agent";
    public const string ServerIdClaim = "server_id";

    /// <summary>The hash of the token's secret, for an endpoint whose own grain call checks it (<see cref="TokenCheckedByEndpoint"/>).</summary>
    public const string TokenHashClaim = "token_hash";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (!AgentTokens.TryParse(header["Bearer ".Length..].Trim(), out var serverId, out var secretHash))
        {
            return AuthenticateResult.Fail("Not an agent token.");
        }

        // The heartbeat, the hottest call there is, checks the token in its own (single) grain call instead.
        var checkedByEndpoint = Context.GetEndpoint()?.Metadata.GetMetadata<TokenCheckedByEndpoint>() is not null;
        if (!checkedByEndpoint && !await client.GetGrain<IGpuServerGrain>(serverId).AuthenticateAsync(secretHash))
        {
            return AuthenticateResult.Fail("Unknown or rotated agent token.");
        }

        var identity = new ClaimsIdentity([new Claim(ServerIdClaim, serverId.ToString()), new Claim(TokenHashClaim, secretHash)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
