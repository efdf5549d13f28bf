namespace OwlFactory.ApiHost.Auth;

public sealed record IssuedToken(string AccessToken, string TokenType, int ExpiresIn);
