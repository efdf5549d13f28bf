namespace OwlFactory.GrainInterfaces.Accounts;

/// <summary>A ledger movement's outcome. <c>Applied</c> is false when the same idempotency key was applied before; <c>BalanceAfter</c> is then that earlier entry's.</summary>
[GenerateSerializer, Alias("owl.CreditResult")]
public sealed record CreditResult(
    [property: Id(0)] AccountStatus Status,
    [property: Id(1)] bool Applied,
    [property: Id(2)] decimal BalanceAfter);
