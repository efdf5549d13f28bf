using System.Security.Cryptography;
using System.Text;

namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>
/// Agent tokens: <c>owlagent_{server id}_{secret}</c>. The server id routes the check to the server's grain; only the
/// secret's SHA-256 is ever stored, so a leaked table does not leak tokens.
/// </summary>
public static class AgentTokens
{
    private const string Prefix = "owlagent_";

    public static (string Token, string Hash) Generate(Guid serverId)
    {
        var secret = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{serverId:N}_{secret}", Hash(secret));
    }

    public static bool TryParse(string? token, out Guid serverId, out string secretHash)
    {
        serverId = Guid.Empty;
        secretHash = "";
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length < Prefix.Length + 34
            || token[Prefix.Length + 32] != '_'
            || !Guid.TryParseExact(token.AsSpan(Prefix.Length, 32), "N", out serverId))
        {
            return false;
        }

        secretHash = Hash(token[(Prefix.Length + 33)..]);
        return true;
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
