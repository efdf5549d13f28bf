using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Fleet;

public sealed record CreateServerRequest
{
    [Required(ErrorMessage = "is required")]
    [StringLength(100, MinimumLength = 1, ErrorMessage = "must be 1-100 characters")]
    public string? Name { get; init; }

    [Required(ErrorMessage = "is required")]
    [StringLength(255, MinimumLength = 1, ErrorMessage = "must be 1-255 characters")]
    public string? Host { get; init; }

    [Range(0, 64, ErrorMessage = "must be between 0 and 64")]
    public int GpuCount { get; init; } = 1;

    [Range(1, 256, ErrorMessage = "must be between 1 and 256")]
    public int MaxConcurrentTasks { get; init; } = 1;

    [Range(typeof(decimal), "0", "100000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "must be between 0 and 100000 (GiB)")]
    public decimal TotalMemory { get; init; }

    [MaxLength(1000, ErrorMessage = "must be at most 1000 characters")]
    public string? Description { get; init; }
}
