using System.Text.Json;
using System.Text.Json.Serialization;

namespace OwlFactory.ApiHost.Http;

/// <summary>
/// Every decimal in this API is money: written with exactly two places (0.00, 100.50), whatever scale the value
/// carried in memory or came back from PostgreSQL with.
/// </summary>
internal sealed class MoneyJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.GetDecimal();

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
        => writer.WriteNumberValue(decimal.Round(value, 2, MidpointRounding.AwayFromZero) + 0.00m);
}
