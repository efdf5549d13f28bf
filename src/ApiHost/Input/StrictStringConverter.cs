using System.Text.Json;
using System.Text.Json.Serialization;

namespace OwlFactory.ApiHost.Input;

/// <summary>Reads every JSON string of a request through <see cref="InputPolicy.CheckText"/>: no NUL, no broken UTF-16.</summary>
internal sealed class StrictStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new InputRejectedException(InputPolicy.Words.NotAString);
        }

        return Checked(reader.GetString()!);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
        => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => Checked(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
        => writer.WritePropertyName(value);

    private static string Checked(string value)
        => InputPolicy.CheckText(value) is { } problem ? throw new InputRejectedException(problem) : value;
}
