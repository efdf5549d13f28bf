using System.Text.Json;

namespace OwlFactory.Agent.Platform;

/// <summary>
/// A task the platform gives this server; repeated on each heartbeat until the agent starts it. <see cref="Config"/>
/// is undefined when the platform sent none; a null or 0 <see cref="TimeoutSeconds"/> means no time limit.
/// </summary>
internal sealed record TaskAssignment(
    string TaskId,
    string TaskType,
    string? Title,
    JsonElement Config,
    int Attempt,
    double? TimeoutSeconds)
{
    /// <summary>The config as JSON text for the executor: the platform's exact text, or <c>{}</c>.</summary>
    public string ConfigJson() => Config.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "{}" : Config.GetRawText();
}
