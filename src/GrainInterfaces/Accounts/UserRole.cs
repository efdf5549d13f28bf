namespace OwlFactory.GrainInterfaces.Accounts;

/// <summary>Account roles, lowest first: user &lt; admin &lt; super_admin.</summary>
public static class UserRole
{
    public const string User = "user";
    public const string Admin = "admin";
    public const string SuperAdmin = "super_admin";

    public static bool IsKnown(string role) => role is User or Admin or SuperAdmin;

    public static bool IsAdmin(string role) => role is Admin or SuperAdmin;
}
