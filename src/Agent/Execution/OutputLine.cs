using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OwlFactory.Agent.Execution;

/// <summary>One stdout line of an executor, classified: <c>OWL_PROGRESS n</c>, <c>OWL_RESULT json</c> or a log line.</summary>
internal sealed record OutputLine(OutputLineKind Kind, string Text, double Progress = 0, JsonObject? Result = null, string? Error = null)
{
    public const string ProgressPrefix = "OWL_PROGRESS ";
    public const string ResultPrefix = "OWL_RESULT ";

    public static OutputLine Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.TrimEnd('\r');
        if (text.StartsWith(ProgressPrefix, StringComparison.Ordinal)
            && double.TryParse(text.AsSpan(ProgressPrefix.Length).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var progress)
            && double.IsFinite(progress))
        {
            return new OutputLine(OutputLineKind.Progress, text, Math.Clamp(progress, 0, 100));
        }

        if (text.StartsWith(ResultPrefix, StringComparison.Ordinal))
        {
            return ParseResult(text);
        }

        // "OWL_PROGRESS abc" and the like are not directives: they stay in the log where someone can see them.
        return new OutputLine(OutputLineKind.Log, text);
    }

    private static OutputLine ParseResult(string text)
    {
        try
        {
            var node = JsonNode.Parse(text[ResultPrefix.Length..]);
            // The platform stores an object; any other JSON value is kept, wrapped, rather than lost.
            var result = node as JsonObject ?? new JsonObject { ["value"] = node };
            return new OutputLine(OutputLineKind.Result, text, Result: result);
        }
        catch (JsonException ex)
        {
            return new OutputLine(OutputLineKind.InvalidResult, text, Error: ex.Message);
        }
    }
}
