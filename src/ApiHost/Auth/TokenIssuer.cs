using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OwlFactory.ApiHost.Auth;

/// <summary>Issues the HS256 access tokens that <see cref="SessionValidator"/> later checks.</summary>
public sealed class TokenIssuer(IOptions<AuthSettings> options, SigningKeyProvider keys, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public IssuedToken Issue(Guid userId, string role, int tokenVersion)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(settings.TokenLifetimeSeconds),
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [OwlClaims.Subject] = userId.ToString(),
                [OwlClaims.Role] = role,
                [OwlClaims.TokenVersion] = tokenVersion.ToString(CultureInfo.InvariantCulture),
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
        });
        return new IssuedToken(token, "bearer", settings.TokenLifetimeSeconds);
    }
}
