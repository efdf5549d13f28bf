namespace OwlFactory.ApiHost.Recharge;

/// <summary>A code in the admin list: masked, never in clear.</summary>
public sealed record RechargeCodeResponse(
    Guid Id,
    string Code,
    decimal Amount,
    string? Description,
    Guid BatchId,
    int MaxUses,
    int UsedCount,
    string Status,
    DateTime? ExpiresAt,
    DateTime? DisabledAt,
    Guid? CreatedBy,
    DateTime CreatedAt);
