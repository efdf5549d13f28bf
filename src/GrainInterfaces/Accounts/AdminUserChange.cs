namespace OwlFactory.GrainInterfaces.Accounts;

/// <summary>What an admin may change on an account; null leaves a field as it is. A balance is a target, applied as a ledger adjustment.</summary>
[GenerateSerializer, Alias("owl.AdminUserChange")]
public sealed record AdminUserChange(
    [property: Id(0)] string? Role,
    [property: Id(1)] bool? IsActive,
    [property: Id(2)] decimal? Balance,
    [property: Id(3)] string? Username,
    [property: Id(4)] string? FullName);
