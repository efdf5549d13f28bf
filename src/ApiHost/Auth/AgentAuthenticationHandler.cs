using System.Diagnostics.Metrics;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.ApiHost.Auth;

/// <summary>
/// Authenticates GPU agents by their agent token. The token's MAC is checked first, in this process, so a forged token
/// costs one HMAC and never activates a grain or reads the database; a genuine-looking one then goes to the server's
/// grain on every call, so a rotated token stops working at once on every API host: here, or, on an endpoint marked
/// <see cref="TokenCheckedByEndpoint"/>, in that endpoint's own grain call (which answers 401 for a wrong token). A
/// user's JWT is not an agent token, and fails here.
/// </summary>
internal sealed class AgentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IClusterClient client,
    AgentTokenIssuer agentTokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Agent";
    public const string ServerIdClaim = "server_id";

    /// <summary>The hash of the token's secret, for an endpoint whose own grain call checks it (<see cref="TokenCheckedByEndpoint"/>).</summary>
    public const string TokenHashClaim = "token_hash";

    private static readonly Counter<long> Refused = OwlMetrics.Meter.CreateCounter<long>(
        "owl.agent_auth.refused", description: "Agent tokens refused: reason=forged (bad shape or MAC, no grain asked) or unknown (the server's grain said no)");

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith("owlagent_", StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail("Not an agent token.");
        }

        if (!agentTokens.TryValidate(token, out var serverId, out var secretHash))
        {
            Refused.Add(1, new KeyValuePair<string, object?>("reason", "forged"));
            return AuthenticateResult.Fail("Not a genuine agent token.");
        }

        // The heartbeat, the hottest call there is, checks the token in its own (single) grain call instead.
        var checkedByEndpoint = Context.GetEndpoint()?.Metadata.GetMetadata<TokenCheckedByEndpoint>() is not null;
        if (!checkedByEndpoint && !await client.Reference<IGpuServerGrain>(serverId).AuthenticateAsync(secretHash))
        {
            Refused.Add(1, new KeyValuePair<string, object?>("reason", "unknown"));
            return AuthenticateResult.Fail("Unknown or rotated agent token.");
        }

        var identity = new ClaimsIdentity([new Claim(ServerIdClaim, serverId.ToString()), new Claim(TokenHashClaim, secretHash)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
