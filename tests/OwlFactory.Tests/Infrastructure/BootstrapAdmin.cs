namespace OwlFactory.Tests.Infrastructure;

/// <summary>The super_admin every silo registers at start (docs/architecture.md, "Bootstrap"), with Development's password.</summary>
public static class BootstrapAdmin
{
    public const string Email = "admin@example.com";

    public const string Password = "admin123";
}
