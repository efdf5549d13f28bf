using System.ComponentModel.DataAnnotations;
using OwlFactory.ApiHost.Http;

namespace OwlFactory.ApiHost.Recharge;

public sealed record CreateCodesRequest
{
    [Required(ErrorMessage = "is required")]
    [Money(0.01, 100000)]
    public decimal? Amount { get; init; }

    [MaxLength(500, ErrorMessage = "must be at most 500 characters")]
    public string? Description { get; init; }

    [Range(1, 1000, ErrorMessage = "must be between 1 and 1000")]
    public int BatchSize { get; init; } = 1;

    [Future]
    public DateTime? ExpiresAt { get; init; }

    [Range(1, 1000, ErrorMessage = "must be between 1 and 1000")]
    public int MaxUses { get; init; } = 1;
}
