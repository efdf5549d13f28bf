namespace OwlFactory.ApiHost.Accounts;

/// <summary>The account summary inside a login response.</summary>
public sealed record LoginUser(Guid Id, string Email, string Username, string Role);
