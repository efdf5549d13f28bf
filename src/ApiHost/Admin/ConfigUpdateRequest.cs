using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace OwlFactory.ApiHost.Admin;

/// <summary>A partial update of the live configuration: keys left out keep their value.</summary>
public sealed partial record ConfigUpdateRequest : IValidatableObject
{
    /// <summary>The keys PRODUCT.md defines; any other key in a body is refused.</summary>
    public static readonly IReadOnlySet<string> Keys = new HashSet<string>(StringComparer.Ordinal)
    {
        "max_concurrent_tasks_per_user", "default_task_timeout", "maintenance_mode", "maintenance_message",
        "heartbeat_timeout_seconds", "task_prices", "log_retention_days",
    };

    [Range(1, 1000, ErrorMessage = "must be between 1 and 1000")]
    public int? MaxConcurrentTasksPerUser { get; init; }

    /// <summary>Seconds a task may run, from 1 minute to 7 days.</summary>
    [Range(10, 604_800, ErrorMessage = "must be between 10 and 604800 seconds")]
    public int? DefaultTaskTimeout { get; init; }

    public bool? MaintenanceMode { get; init; }

    [StringLength(500, MinimumLength = 1, ErrorMessage = "must be 1-500 characters")]
    public string? MaintenanceMessage { get; init; }

    [Range(3, 3600, ErrorMessage = "must be between 3 and 3600 seconds")]
    public int? HeartbeatTimeoutSeconds { get; init; }

    /// <summary>Credits per GPU-minute per task type; replaces the whole table.</summary>
    public Dictionary<string, decimal>? TaskPrices { get; init; }

    [Range(1, 3650, ErrorMessage = "must be between 1 and 3650 days")]
    public int? LogRetentionDays { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TaskPrices is null)
        {
            yield break;
        }

        if (TaskPrices.Count is 0 or > 100)
        {
            yield return new ValidationResult("must price 1-100 task types", [nameof(TaskPrices)]);
        }

        foreach (var (type, price) in TaskPrices)
        {
            if (!TaskTypePattern().IsMatch(type))
            {
                yield return new ValidationResult($"'{type}' is not a task type (1-64 of a-z, 0-9, _)", [nameof(TaskPrices)]);
            }

            if (price < 0 || price > 10_000 || decimal.Round(price, 4) != price)
            {
                yield return new ValidationResult($"the price of '{type}' must be 0-10000 with at most 4 decimal places", [nameof(TaskPrices)]);
            }
        }
    }

    [GeneratedRegex("^[a-z0-9_]{1,64}$")]
    private static partial Regex TaskTypePattern();
}
