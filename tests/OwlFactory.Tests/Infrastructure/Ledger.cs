namespace OwlFactory.Tests.Infrastructure;

/// <summary>The money invariant, checked against PostgreSQL after every money test.</summary>
public static class Ledger
{
    /// <summary>Every user's balance equals the sum of their ledger amounts, and held the sum of their holds.</summary>
    public static async Task AssertConsistentAsync()
    {
        var broken = await TestDatabase.ScalarAsync<long>(
            """
            SELECT count(*) FROM users u
            LEFT JOIN (SELECT user_id, sum(amount) AS amount, sum(hold_amount) AS held FROM ledger_entries GROUP BY user_id) l
                   ON l.user_id = u.id
            WHERE u.balance <> coalesce(l.amount, 0) OR u.held <> coalesce(l.held, 0) OR u.balance < 0
            """);
        Assert.Equal(0L, broken);
    }

    public static Task<decimal> BalanceAsync(Guid userId)
        => TestDatabase.ScalarAsync<decimal>("SELECT balance FROM users WHERE id = $1", userId);

    public static Task<long> EntriesAsync(Guid userId)
        => TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE user_id = $1", userId);
}
