using System.Text.Json;
using System.Text.RegularExpressions;

namespace OwlFactory.ApiHost.Input;

/// <summary>
/// Turns the framework's binding failures (a query value of the wrong type, malformed JSON, a JSON value of the wrong
/// type) into field errors under the name the client used, in plain words: never a .NET type or parameter name.
/// </summary>
internal static partial class BindingErrors
{
    public static Dictionary<string, string[]> Describe(BadHttpRequestException exception, HttpRequest request)
    {
        if (exception.InnerException is JsonException json)
        {
            return Describe(json);
        }

        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return One("body", "must be sent as application/json");
        }

        var match = Parameter().Match(exception.Message);
        if (!match.Success)
        {
            return One("body", exception.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                ? "is required: send a JSON object"
                : "could not be read");
        }

        var field = JsonNamingPolicy.SnakeCaseLower.ConvertName(match.Groups["name"].Value);
        if (exception.Message.StartsWith("Required parameter", StringComparison.Ordinal))
        {
            return One(field, "is required");
        }

        if (request.Query.TryGetValue(field, out var values) && values.Count > 1)
        {
            return One(field, "must be given only once");
        }

        return One(field, Expected(match.Groups["type"].Value, json: false));
    }

    public static Dictionary<string, string[]> Describe(JsonException exception)
    {
        var field = FieldOf(exception.Path);
        if (exception is InputRejectedException)
        {
            return One(field, exception.Message);
        }

        var message = exception.Message;
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) || message.Contains("duplicate", StringComparison.Ordinal))
        {
            return One(field, "appears more than once");
        }

        if (message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
        {
            return One(field, $"is nested too deeply (at most {InputPolicy.MaxDepth} levels)");
        }

        var converted = Converted().Match(message);
        if (converted.Success)
        {
            return One(field, field == "body" ? "must be a JSON object" : Expected(converted.Groups["type"].Value, json: true));
        }

        return One(field, field == "body" ? "must be well-formed JSON" : "is malformed JSON or of the wrong type");
    }

    private static string Expected(string type, bool json)
    {
        var notAString = json ? " (a JSON number, not a string)" : "";
        var t = type.Replace("System.", "", StringComparison.Ordinal).Replace("Nullable`1[", "", StringComparison.Ordinal)
            .Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd(']', '>').Trim();
        return t switch
        {
            "int" or "Int32" or "long" or "Int64" or "short" or "Int16" => "must be a whole number" + notAString,
            "double" or "Double" or "float" or "Single" or "decimal" or "Decimal" => "must be a finite number" + notAString,
            "bool" or "Boolean" => "must be true or false",
            "DateTime" or "DateTimeOffset" => "must be a date and time in ISO 8601 (2026-01-31 or 2026-01-31T08:00:00Z)",
            "DateOnly" => "must be a date as YYYY-MM-DD",
            "Guid" => "must be a UUID",
            "string" or "String" => "must be a string",
            _ when t.StartsWith("List", StringComparison.Ordinal) || t.EndsWith("[]", StringComparison.Ordinal)
                || t.StartsWith("Collections.Generic.List", StringComparison.Ordinal) => "must be a JSON array",
            _ when t.Contains("Dictionary", StringComparison.Ordinal) || t.Contains("JsonObject", StringComparison.Ordinal) => "must be a JSON object",
            _ => "has a value of the wrong type",
        };
    }

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    private static Dictionary<string, string[]> One(string field, string message) => new() { [field] = [message] };

    [GeneratedRegex(@"parameter ""(?<type>[^""]*) (?<name>[A-Za-z_][A-Za-z0-9_]*)""")]
    private static partial Regex Parameter();

    [GeneratedRegex("""could not be converted to (?<type>\S+?)\. Path""")]
    private static partial Regex Converted();
}
