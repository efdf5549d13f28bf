namespace OwlFactory.GrainInterfaces.Accounts;

[GenerateSerializer, Alias("owl.AccountResult")]
public sealed record AccountResult([property: Id(0)] AccountStatus Status, [property: Id(1)] UserProfile? Profile = null);
