using System.Net;
using System.Text.Json.Nodes;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>One HTTP exchange: the status and the parsed envelope.</summary>
public sealed record ApiCall(HttpStatusCode Status, JsonNode Body)
{
    public JsonNode Data => Body["data"] ?? throw new InvalidOperationException("No data in " + Body.ToJsonString());

    public string? ErrorCode => Body["error_code"]?.GetValue<string>();

    public override string ToString() => $"{(int)Status} {Body.ToJsonString()}";
}
