namespace OwlFactory.GrainInterfaces.Accounts;

[GenerateSerializer, Alias("owl.UserProfile")]
public sealed record UserProfile(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Email,
    [property: Id(2)] string Username,
    [property: Id(3)] string? FullName,
    [property: Id(4)] string Role,
    [property: Id(5)] bool IsActive,
    [property: Id(6)] decimal Balance,
    [property: Id(7)] decimal AvailableBalance,
    [property: Id(8)] int TotalTasks,
    [property: Id(9)] DateTime CreatedAt,
    [property: Id(10)] DateTime UpdatedAt,
    [property: Id(11)] DateTime? LastLogin);
