using System.Security.Cryptography;
using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.ApiHost.Auth;

/// <summary>
/// Makes and pre-checks agent tokens (<c>owlagent_{server id}_{secret}</c>). The secret is 16 random bytes followed by
/// a 16-byte MAC of the server id and those bytes, so a forged or mistyped token is refused here, at the cost of one
/// HMAC, before any grain is activated or the database read. The server's grain still holds the final word: only the
/// SHA-256 of the secret is stored, and rotation replaces it.
/// </summary>
public sealed class AgentTokenIssuer(SigningKeyProvider keys)
{
    private const string Prefix = "owlagent_";
    private const int RandomBytes = 16;
    private const int MacBytes = 16;

    /// <summary>Whether an Authorization header carries an agent token (by its prefix; nothing is checked).</summary>
    public static bool IsAgentBearer(string? authorization)
        => authorization is { Length: > 7 } && authorization.AsSpan(7).TrimStart().StartsWith(Prefix, StringComparison.Ordinal)
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>A new token for the server and the hash its grain stores.</summary>
    public (string Token, string Hash) Issue(Guid serverId)
    {
        var secret = new byte[RandomBytes + MacBytes];
        RandomNumberGenerator.Fill(secret.AsSpan(0, RandomBytes));
        Mac(serverId, secret.AsSpan(0, RandomBytes)).AsSpan(0, MacBytes).CopyTo(secret.AsSpan(RandomBytes));
        var token = $"{Prefix}{serverId:N}_{Base64Url(secret)}";
        return AgentTokens.TryParse(token, out _, out var hash)
            ? (token, hash)
            : throw new InvalidOperationException("An issued agent token did not parse.");
    }

    /// <summary>True when the token is well formed and its MAC is ours; its server id and secret hash come out.</summary>
    public bool TryValidate(string token, out Guid serverId, out string secretHash)
    {
        if (!AgentTokens.TryParse(token, out serverId, out secretHash))
        {
            return false;
        }

        var secret = token[(Prefix.Length + 33)..];
        var bytes = new byte[RandomBytes + MacBytes];
        if (secret.Length != 43 || !Convert.TryFromBase64String(FromBase64Url(secret), bytes, out var written) || written != bytes.Length)
        {
            return false;
        }

        var expected = Mac(serverId, bytes.AsSpan(0, RandomBytes));
        return CryptographicOperations.FixedTimeEquals(expected.AsSpan(0, MacBytes), bytes.AsSpan(RandomBytes));
    }

    private byte[] Mac(Guid serverId, ReadOnlySpan<byte> random)
    {
        Span<byte> message = stackalloc byte[16 + RandomBytes];
        serverId.TryWriteBytes(message);
        random.CopyTo(message[16..]);
        return HMACSHA256.HashData(keys.AgentTokenKey, message);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return padded + new string('=', (4 - (padded.Length % 4)) % 4);
    }
}
