namespace OwlFactory.GrainInterfaces.Accounts;

[GenerateSerializer, Alias("owl.RegisterResult")]
public sealed record RegisterResult([property: Id(0)] AccountStatus Status, [property: Id(1)] UserProfile? Profile);
