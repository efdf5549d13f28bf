using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Idempotency;

namespace OwlFactory.ApiHost.Http;

/// <summary>
/// The Idempotency-Key rule of the API: a key reused with a different request body is a 409 conflict, never a silent
/// replay of the first answer. The request is fingerprinted as the API read it (its record, serialized), so the same
/// body sent again with other whitespace is the same request.
/// </summary>
public sealed class IdempotencyKeys(IClusterClient client, IOptions<JsonOptions> json)
{
    public const int MaxKeyLength = 255;

    /// <summary>True when the key may be used for this request; false when it was first used with another.</summary>
    public Task<bool> ClaimAsync(string scope, Guid userId, string key, object request)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, request.GetType(), json.Value.SerializerOptions);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(body));
        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return client.Reference<IIdempotencyKeyGrain>($"{scope}:{userId:N}:{keyHash}").ClaimAsync(fingerprint);
    }

    /// <summary>The answer to a key reused with another request.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<ApiErrorEnvelope> Conflict()
        => ApiResults.Conflict("This Idempotency-Key was already used with a different request", "Idempotency-Key");
}
