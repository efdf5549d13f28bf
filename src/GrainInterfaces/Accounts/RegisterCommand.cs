namespace OwlFactory.GrainInterfaces.Accounts;

[GenerateSerializer, Alias("owl.RegisterCommand")]
public sealed record RegisterCommand(
    [property: Id(0)] string Email,
    [property: Id(1)] string Username,
    [property: Id(2)] string Password,
    [property: Id(3)] string? FullName,
    [property: Id(4)] string Role);
