namespace OwlFactory.ApiHost.Accounts;

public sealed record LoginResponse(string AccessToken, string TokenType, int ExpiresIn, LoginUser User);
