namespace OwlFactory.Tests.Infrastructure;

public sealed record TestUser(Guid Id, string Email, string Username, string Password, string Token);
