namespace OwlFactory.GrainInterfaces.Accounts;

[GenerateSerializer, Alias("owl.UserSession")]
public sealed record UserSession(
    [property: Id(0)] string Role,
    [property: Id(1)] bool IsActive,
    [property: Id(2)] int TokenVersion,
    [property: Id(3)] UserProfile Profile);
