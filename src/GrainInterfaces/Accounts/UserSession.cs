namespace OwlFactory.GrainInterfaces.Accounts;

/// <summary>
/// What a bearer token is checked against, with the profile it names. <paramref name="Version"/> is the version of the
/// account's row it was read at: an API host keeps a session only when no newer change of the account was announced.
/// </summary>
[GenerateSerializer, Alias("owl.UserSession")]
public sealed record UserSession(
    [property: Id(0)] string Role,
    [property: Id(1)] bool IsActive,
    [property: Id(2)] int TokenVersion,
    [property: Id(3)] UserProfile Profile,
    [property: Id(4)] long Version);
