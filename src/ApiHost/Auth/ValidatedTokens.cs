using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OwlFactory.ApiHost.Auth;

/// <summary>
/// The bearer token's check, remembered per token until the token expires: a token whose signature, issuer, audience
/// and lifetime passed once is not parsed and verified again on each of its requests. What is remembered cannot change
/// for a token: the signing key is fixed for the process's life (<see cref="SigningKeyProvider"/>). Revocation
/// (password, role, deactivation) is not part of it: the account is checked on every request after this, remembered or
/// not (<see cref="SessionValidator"/>). A token that fails is not remembered, so a forged one pays its full check
/// every time.
/// </summary>
internal sealed class ValidatedTokens(TimeProvider clock) : TokenHandler, IDisposable
{
    /// <summary>The most tokens kept; beyond it, the least recently used are dropped and simply checked again when they come back.</summary>
    public const int Capacity = 20_000;

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly MemoryCache _valid = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_valid.TryGetValue(token, out TokenValidationResult? known) && known!.SecurityToken.ValidTo > clock.GetUtcNow().UtcDateTime)
        {
            return known;
        }

        var result = await _handler.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid)
        {
            // Each request gets its own principal over this identity; its claims are read, never changed, by the
            // requests that share it. Reading them here builds whatever the identity builds on first use, once.
            _ = result.ClaimsIdentity.Claims.Count();
            _valid.Set(token, result, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = result.SecurityToken.ValidTo });
        }

        return result;
    }

    public void Dispose() => _valid.Dispose();
}
