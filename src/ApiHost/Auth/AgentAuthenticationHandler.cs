using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.ApiHost.Auth;

/// <summary>
/// Authenticates GPU agents by their agent token. The check goes to the server's grain on every call, so a rotated
/// token stops working at once on every API host. A user's JWT is not an agent token, and fails here.
/// </summary>
internal sealed class AgentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IClusterClient client)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Agent";
    public const string ServerIdClaim = "server_id";

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

        if (!await client.GetGrain<IGpuServerGrain>(serverId).AuthenticateAsync(secretHash))
        {
            return AuthenticateResult.Fail("Unknown or rotated agent token.");
        }

        var identity = new ClaimsIdentity([new Claim(ServerIdClaim, serverId.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
