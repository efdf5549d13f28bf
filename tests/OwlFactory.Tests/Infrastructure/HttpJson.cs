using System.Text.Json.Nodes;

namespace OwlFactory.Tests.Infrastructure;

public static class HttpJson
{
    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"Empty JSON body ({(int)response.StatusCode})");
    }
}
