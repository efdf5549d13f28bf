using System.Text.Json;

namespace OwlFactory.ApiHost.Input;

/// <summary>
/// A JSON value the input policy refuses (a NUL in a string, a duplicate key). Its message is already plain words for
/// the client; the serializer adds the path of the offending field.
/// </summary>
public sealed class InputRejectedException : JsonException
{
    public InputRejectedException()
    {
    }

    public InputRejectedException(string message)
        : base(message)
    {
    }

    public InputRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
