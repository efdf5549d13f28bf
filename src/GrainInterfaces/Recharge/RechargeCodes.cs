using System.Security.Cryptography;
using System.Text;

namespace OwlFactory.GrainInterfaces.Recharge;

/// <summary>
/// The recharge code format: <c>OWL-XXXX-XXXX-XXXX</c>, twelve symbols drawn by a cryptographic generator from 32
/// letters and digits (no 0, O, 1 or I). Codes are bearer secrets: at rest only their SHA-256 is kept.
/// </summary>
public static class RechargeCodes
{
    public const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int Symbols = 12;
    private const string Prefix = "OWL";

    // Keeps a grain key from looking like hex, which the ADO.NET storage would parse as a number.
    private const string GrainKeyPrefix = "code:";

    /// <summary>A new code's twelve symbols (no prefix, no dashes).</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Symbols);

    /// <summary>Reads what a user typed: case, spaces and dashes ignored, the <c>OWL</c> prefix optional.</summary>
    public static bool TryNormalize(string? input, out string symbols)
    {
        symbols = "";
        if (input is null)
        {
            return false;
        }

        var builder = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (c is not (' ' or '-' or '\t'))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        var text = builder.ToString();
        if (text.Length == Symbols + Prefix.Length && text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            text = text[Prefix.Length..];
        }

        if (text.Length != Symbols || text.Any(c => !Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            return false;
        }

        symbols = text;
        return true;
    }

    /// <summary>The display form, <c>OWL-ABCD-EFGH-JKLM</c>.</summary>
    public static string Format(string symbols) => $"{Prefix}-{symbols[..4]}-{symbols[4..8]}-{symbols[8..]}";

    /// <summary>What lists show: only the last group, <c>OWL-****-****-JKLM</c>.</summary>
    public static string Mask(string symbols) => $"{Prefix}-****-****-{symbols[8..]}";

    /// <summary>Lower-case hex SHA-256 of the twelve symbols: the code's identity at rest.</summary>
    public static string Hash(string symbols) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(symbols)));

    /// <summary>The <see cref="IRechargeCodeGrain"/> key for a hash.</summary>
    public static string GrainKey(string hash) => GrainKeyPrefix + hash;

    /// <summary>The hash a <see cref="GrainKey"/> was made from.</summary>
    public static string HashOfGrainKey(string grainKey)
        => grainKey.StartsWith(GrainKeyPrefix, StringComparison.Ordinal)
            ? grainKey[GrainKeyPrefix.Length..]
            : throw new ArgumentException($"not a recharge code's grain key: {grainKey}", nameof(grainKey));
}
