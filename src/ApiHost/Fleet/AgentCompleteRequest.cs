using System.Text.Json.Nodes;

namespace OwlFactory.ApiHost.Fleet;

public sealed record AgentCompleteRequest
{
    public JsonObject? Result { get; init; }
}
