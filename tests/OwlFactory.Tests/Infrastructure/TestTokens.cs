using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>Hand-made HS256 tokens, for tests that play an attacker who holds (or guesses) a signing key.</summary>
public static class TestTokens
{
    /// <summary>A token for the account; <paramref name="expires"/> (default: in ten minutes) may be in the past.</summary>
    public static string Sign(string key, Guid userId, string role, int version = 0, DateTimeOffset? expires = null)
    {
        var exp = (expires ?? DateTimeOffset.UtcNow.AddMinutes(10)).ToUnixTimeSeconds();
        var issued = Math.Min(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), exp - 60);
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = "owl-factory",
            ["aud"] = "owl-factory-api",
            ["sub"] = userId.ToString(),
            ["role"] = role,
            ["ver"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["iat"] = issued,
            ["nbf"] = issued,
            ["exp"] = exp,
        }));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Encode(signature)}";
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
