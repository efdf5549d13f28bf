using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Fleet;

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
