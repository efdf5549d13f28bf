namespace OwlFactory.ApiHost.Accounts;

/// <summary>The account field rules of PRODUCT.md, shared by the request records.</summary>
internal static class AccountRules
{
    public const string EmailPattern = @"^[^@\s]+@[^@\s]+\.[^@\s]+$";
    public const string UsernamePattern = "^[A-Za-z0-9_-]{3,50}$";
}
