namespace OwlFactory.ApiHost.Admin;

public sealed record AdminUserResponse(
    Guid Id,
    string Email,
    string Username,
    string? FullName,
    string Role,
    bool IsActive,
    decimal Balance,
    decimal AvailableBalance,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? LastLogin);
