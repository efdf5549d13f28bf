namespace OwlFactory.GrainInterfaces.Accounts;

[GenerateSerializer, Alias("owl.LoginResult")]
public sealed record LoginResult(
    [property: Id(0)] AccountStatus Status,
    [property: Id(1)] UserProfile? Profile,
    [property: Id(2)] int TokenVersion);
