using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>Reads a Server-Sent Events response as a browser's EventSource would, as far as the tests need: each event's data, in order.</summary>
public static class ServerSentEvents
{
    /// <summary>The data of each event as it arrives, until the stream ends.</summary>
    public static async IAsyncEnumerable<string> DataAsync(
        HttpResponseMessage response, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                // One space after the colon belongs to the syntax, not to the data.
                yield return line.StartsWith("data: ", StringComparison.Ordinal) ? line["data: ".Length..] : line["data:".Length..];
            }
        }
    }

    /// <summary>The data of each event as JSON, until the stream ends or an event is the <paramref name="last"/> one.</summary>
    public static async Task<List<JsonNode>> ReadJsonAsync(HttpResponseMessage response, Func<JsonNode, bool>? last = null)
    {
        var events = new List<JsonNode>();
        await foreach (var data in DataAsync(response))
        {
            var node = JsonNode.Parse(data)!;
            events.Add(node);
            if (last?.Invoke(node) == true)
            {
                break;
            }
        }

        return events;
    }
}
