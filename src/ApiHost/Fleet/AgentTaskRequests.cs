using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;

namespace OwlFactory.ApiHost.Fleet;

public sealed record AgentProgressRequest
{
    [Range(0d, 100d, ErrorMessage = "must be between 0 and 100")]
    public double Progress { get; init; }
}

public sealed record AgentLogsRequest : IValidatableObject
{
    public const int MaxLines = 1000;

    [Required(ErrorMessage = "is required")]
    [MaxLength(MaxLines, ErrorMessage = "must hold at most 1000 lines")]
    public List<AgentLogLine>? Lines { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (line, i) in (Lines ?? []).Select((l, i) => (l, i)))
        {
            if (line is null)
            {
                yield return new ValidationResult("must be an object", [$"Lines[{i}]"]);
                continue;
            }

            if (line.Message is null)
            {
                yield return new ValidationResult("is required", [$"Lines[{i}].Message"]);
            }

            if (line.Level is { Length: > 16 })
            {
                yield return new ValidationResult("must be at most 16 characters", [$"Lines[{i}].Level"]);
            }
        }
    }
}

public sealed record AgentLogLine(DateTime? Ts, string? Level, string? Message);

public sealed record AgentCompleteRequest
{
    public JsonObject? Result { get; init; }
}

public sealed record AgentFailRequest
{
    [Required(ErrorMessage = "is required")]
    [MaxLength(4000, ErrorMessage = "must be at most 4000 characters")]
    public string? ErrorMessage { get; init; }
}
