using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Recharge;

public sealed record RedeemRequest
{
    [Required(ErrorMessage = "is required")]
    [StringLength(64, MinimumLength = 1, ErrorMessage = "must be 1-64 characters")]
    public string? Code { get; init; }
}
