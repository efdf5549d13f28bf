using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace OwlFactory.ApiHost.Auth;

/// <summary>
/// The token signing key: <c>Owl:Auth:SigningKey</c>, else the file <c>Owl:Auth:SigningKeyFile</c> names. There is no
/// built-in key: outside Development a missing key stops start-up; in Development a random key is made for this
/// process only (its tokens die with it, and a second API host would not accept them), with a warning.
/// </summary>
public sealed partial class SigningKeyProvider
{
    public SigningKeyProvider(IOptions<AuthSettings> options, IHostEnvironment environment, ILogger<SigningKeyProvider> logger)
    {
        var settings = options.Value;
        var key = settings.SigningKey;
        if (string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(settings.SigningKeyFile))
        {
            key = File.ReadAllText(settings.SigningKeyFile).Trim();
            if (key.Length < 32)
            {
                throw new InvalidOperationException($"The signing key in {settings.SigningKeyFile} is shorter than 32 characters.");
            }
        }

        if (string.IsNullOrEmpty(key))
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException("Neither Owl:Auth:SigningKey nor Owl:Auth:SigningKeyFile is set; outside Development one is required.");
            }

            LogEphemeralKey(logger);
            key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        }

        Key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key));
        // Agent tokens carry a MAC under a key derived from this one (see AgentTokenIssuer).
        AgentTokenKey = HMACSHA256.HashData(Key.Key, "owl-factory agent-token mac v1"u8);
    }

    public SymmetricSecurityKey Key { get; }

    /// <summary>The key agent tokens are authenticated with, derived from the signing key.</summary>
    internal byte[] AgentTokenKey { get; }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "No signing key is configured: tokens are signed with a random key that lives only as long as this process (Development only)")]
    private static partial void LogEphemeralKey(ILogger logger);
}
