namespace OwlFactory.Silo.Accounts;

/// <summary>The first super_admin, created on a start that finds none. Bound from <c>Owl:Bootstrap</c>.</summary>
public sealed class BootstrapSettings
{
    public const string Section = "Owl:Bootstrap";

    public string AdminEmail { get; set; } = "admin@example.com";

    public string AdminUsername { get; set; } = "admin";

    /// <summary>Required outside Development; Development falls back to <c>admin123</c>, the contract's example.</summary>
    public string? AdminPassword { get; set; }
}
