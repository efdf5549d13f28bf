using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;

namespace OwlFactory.ApiHost.Tasks;

/// <summary><c>POST /api/tasks</c>; PRODUCT.md's limits. Whether the task type has a price is the grain's check.</summary>
public sealed record CreateTaskRequest : IValidatableObject
{
    /// <summary>The largest <c>config</c> accepted, serialized.</summary>
    public const int MaxConfigBytes = 64 * 1024;

    [Required(ErrorMessage = "is required")]
    [StringLength(200, MinimumLength = 1, ErrorMessage = "must be 1-200 characters")]
    public string? Title { get; init; }

    [MaxLength(2000, ErrorMessage = "must be at most 2000 characters")]
    public string? Description { get; init; }

    [Required(ErrorMessage = "is required")]
    [StringLength(64, MinimumLength = 1, ErrorMessage = "must be 1-64 characters")]
    public string? TaskType { get; init; }

    [Range(1, 5, ErrorMessage = "must be between 1 and 5")]
    public int Priority { get; init; } = 1;

    [Range(1, 10080, ErrorMessage = "must be between 1 and 10080 minutes")]
    public int? EstimatedDuration { get; init; }

    public JsonObject? Config { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Title is not null && string.IsNullOrWhiteSpace(Title))
        {
            yield return new ValidationResult("must not be blank", [nameof(Title)]);
        }

        if (Config is not null && System.Text.Encoding.UTF8.GetByteCount(Config.ToJsonString()) > MaxConfigBytes)
        {
            yield return new ValidationResult("must be at most 64 KiB", [nameof(Config)]);
        }
    }
}
