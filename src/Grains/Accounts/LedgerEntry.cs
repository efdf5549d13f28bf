namespace OwlFactory.Grains.Accounts;

/// <summary>One movement of a user's money. <c>Amount</c> moves the balance, <c>HoldAmount</c> what is held back.</summary>
public sealed record LedgerEntry(
    string Kind,
    decimal Amount,
    decimal HoldAmount,
    string IdempotencyKey,
    Guid? ReferenceId,
    string? Description,
    Guid? CreatedBy,
    DateTime CreatedAt);
