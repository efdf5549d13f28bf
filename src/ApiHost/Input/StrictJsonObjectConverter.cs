using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OwlFactory.ApiHost.Input;

/// <summary>
/// Free-form JSON objects of a request (a task's <c>config</c>, an agent's <c>result</c>, the admin config body):
/// refused when a key repeats at any level or a key or string holds text the policy refuses. The duplicate check is
/// done here because the framework's own JsonObject reader throws a bare ArgumentException on a repeated key.
/// </summary>
internal sealed class StrictJsonObjectConverter : JsonConverter<JsonObject>
{
    public override JsonObject? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InputRejectedException(InputPolicy.Words.NotAnObject);
        }

        var element = JsonElement.ParseValue(ref reader);
        Check(element);
        return JsonObject.Create(element);
    }

    public override void Write(Utf8JsonWriter writer, JsonObject value, JsonSerializerOptions options)
        => value.WriteTo(writer, options);

    private static void Check(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (InputPolicy.CheckText(property.Name) is { } problem)
                    {
                        throw new InputRejectedException(problem);
                    }

                    if (!seen.Add(property.Name))
                    {
                        throw new InputRejectedException($"has the key '{property.Name}' more than once");
                    }

                    Check(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Check(item);
                }

                break;
            case JsonValueKind.String:
                if (InputPolicy.CheckText(element.GetString()!) is { } text)
                {
                    throw new InputRejectedException(text);
                }

                break;
        }
    }
}
