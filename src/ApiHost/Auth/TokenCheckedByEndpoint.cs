namespace OwlFactory.ApiHost.Auth;

/// <summary>
/// Endpoint metadata: the agent token's secret is checked by the endpoint's own grain call (which gets the hash from
/// the <see cref="AgentAuthenticationHandler.TokenHashClaim"/> claim), not by a separate call during authentication.
/// </summary>
internal sealed class TokenCheckedByEndpoint;
