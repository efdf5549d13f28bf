namespace OwlFactory.Grains.Accounts;

/// <summary>The account as the grain holds it; one row of the <c>users</c> table.</summary>
public sealed class UserState
{
    public string Email { get; set; } = "";
    public string Username { get; set; } = "";
    public string? FullName { get; set; }
    public string PasswordHash { get; set; } = "";
    public string Role { get; set; } = "";
    public bool IsActive { get; set; }
    public decimal Balance { get; set; }

    /// <summary>What running tasks hold back from the balance; available = balance - held.</summary>
    public decimal Held { get; set; }

    /// <summary>Bumped by a password change, deactivation or role change; tokens carry the version they were issued at.</summary>
    public int TokenVersion { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? LastLogin { get; set; }

    /// <summary>Optimistic-concurrency version of the row; 0 when the row does not exist yet.</summary>
    public long Version { get; set; }

    public UserState Copy() => (UserState)MemberwiseClone();
}
