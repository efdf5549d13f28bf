using System.Text.Json.Nodes;

namespace OwlFactory.Agent.Platform;

internal sealed record CompleteRequest(JsonObject Result);
