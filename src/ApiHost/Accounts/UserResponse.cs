using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.ApiHost.Accounts;

/// <summary>An account as <c>GET /api/users/me</c> shows it.</summary>
public sealed record UserResponse(
    Guid Id,
    string Email,
    string Username,
    string? FullName,
    string Role,
    bool IsActive,
    decimal Balance,
    decimal AvailableBalance,
    int TotalTasks,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? LastLogin)
{
    public static UserResponse From(UserProfile p) => new(
        p.Id, p.Email, p.Username, p.FullName, p.Role, p.IsActive, p.Balance, p.AvailableBalance, p.TotalTasks,
        p.CreatedAt, p.UpdatedAt, p.LastLogin);
}
