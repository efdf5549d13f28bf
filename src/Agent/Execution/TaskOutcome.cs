using System.Globalization;
using System.Text.Json.Nodes;

namespace OwlFactory.Agent.Execution;

/// <summary>
/// How a run ended: the result object of a completed run, the error message of a failed or timed-out one, and the
/// child's exit code where there was a child that exited by itself.
/// </summary>
internal sealed record TaskOutcome(TaskOutcomeKind Kind, JsonObject? Result, string? ErrorMessage, int? ExitCode)
{
    public static TaskOutcome Completed(JsonObject result, int? exitCode = 0) => new(TaskOutcomeKind.Completed, result, null, exitCode);

    public static TaskOutcome Failed(string errorMessage, int? exitCode = null) => new(TaskOutcomeKind.Failed, null, errorMessage, exitCode);

    public static TaskOutcome TimedOut(TimeSpan timeout) => new(
        TaskOutcomeKind.TimedOut,
        null,
        string.Create(CultureInfo.InvariantCulture, $"timed out after {timeout.TotalSeconds:0.###} s"),
        null);

    public static TaskOutcome Cancelled() => new(TaskOutcomeKind.Cancelled, null, null, null);
}
