using System.Text.Json;
using System.Text.Json.Serialization;

namespace OwlFactory.Agent.Platform;

/// <summary>The platform's JSON: snake_case, generated at build time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(ApiEnvelope<HeartbeatResponse>))]
[JsonSerializable(typeof(ApiEnvelope<JsonElement>))]
[JsonSerializable(typeof(ProgressRequest))]
[JsonSerializable(typeof(LogsRequest))]
[JsonSerializable(typeof(CompleteRequest))]
[JsonSerializable(typeof(FailRequest))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
