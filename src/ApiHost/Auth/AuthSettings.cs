using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Auth;

/// <summary>Token issuing and validation. Bound from <c>Owl:Auth</c>.</summary>
public sealed class AuthSettings
{
    public const string Section = "Owl:Auth";

    /// <summary>The HS256 key, at least 32 characters. This or <see cref="SigningKeyFile"/> is required outside Development.</summary>
    [MinLength(32)]
    public string? SigningKey { get; set; }

    /// <summary>
    /// A file holding the key (what <c>./owl run</c> generates under <c>.data/</c>, mode 0600); used when
    /// <see cref="SigningKey"/> is not set.
    /// </summary>
    public string? SigningKeyFile { get; set; }

    [Required]
    public string Issuer { get; set; } = "owl-factory";

    [Required]
    public string Audience { get; set; } = "owl-factory-api";

    [Range(60, 86400)]
    public int TokenLifetimeSeconds { get; set; } = 1800;
}
