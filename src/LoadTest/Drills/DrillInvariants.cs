using System.Globalization;
using Npgsql;

namespace OwlFactory.LoadTest.Drills;

/// <summary>
/// What must hold after any fault, checked in PostgreSQL for the drill's accounts: every balance equals its ledger,
/// money is conserved to the cent, every acknowledged write is there exactly once, no code is over its uses, no task
/// ran twice at once, no task was lost or billed twice. Used by <c>./owl drill</c> and by the drill tests.
/// </summary>
public static class DrillInvariants
{
    // Redemptions without exactly one credit in their account's ledger.
    private const string UnsettledSql =
        """
        SELECT count(*) FROM recharge_records r
        WHERE r.user_id = ANY($1)
          AND (SELECT count(*) FROM ledger_entries l WHERE l.user_id = r.user_id AND l.idempotency_key = 'recharge:' || r.id::text) <> 1
        """;

    /// <summary>
    /// The broken invariants, in words (empty when all hold), for the <paramref name="users"/>' accounts and the
    /// <paramref name="tasks"/> and <paramref name="redemptions"/> the API acknowledged to them. With
    /// <paramref name="nothingFailed"/> (no request failed, so nothing ambiguous was written) the accounts hold exactly
    /// what was acknowledged; every one of <paramref name="agentTasks"/> (run by agents) must have completed by now.
    /// </summary>
    public static async Task<List<string>> CheckAsync(NpgsqlDataSource db, Guid[] users, IEnumerable<Guid> tasks,
        IEnumerable<Guid> redemptions, bool nothingFailed, IEnumerable<Guid>? agentTasks = null)
    {
        var broken = new List<string>();
        async Task Expect(string what, long expected, string sql, params object[] parameters)
        {
            var actual = await CountAsync(db, sql, parameters);
            if (actual != expected)
            {
                broken.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: {actual}, expected {expected}"));
            }
        }

        await Expect("accounts whose balance or held differs from their ledger", 0,
            """
            SELECT count(*) FROM users u
            LEFT JOIN (SELECT user_id, sum(amount) AS amount, sum(hold_amount) AS held FROM ledger_entries GROUP BY user_id) l ON l.user_id = u.id
            WHERE u.id = ANY($1) AND (u.balance <> coalesce(l.amount, 0) OR u.held <> coalesce(l.held, 0) OR u.balance < 0)
            """, users);
        // Money is conserved to the cent: what was redeemed is in the balances or was charged.
        await Expect("cents redeemed minus (balances + charged)", 0,
            """
            SELECT ((SELECT coalesce(sum(amount), 0) FROM recharge_records WHERE user_id = ANY($1))
                  - (SELECT coalesce(sum(balance), 0) FROM users WHERE id = ANY($1))
                  - (SELECT coalesce(-sum(amount), 0) FROM ledger_entries WHERE kind = 'charge' AND user_id = ANY($1))) * 100
            """, users);
        await Expect("redemptions not credited exactly once", 0, UnsettledSql, users);
        await Expect("codes over their uses", 0, "SELECT count(*) FROM recharge_codes WHERE used_count > max_uses");
        var acknowledged = redemptions.Distinct().ToArray();
        await Expect("acknowledged redemptions stored", acknowledged.Length, "SELECT count(*) FROM recharge_records WHERE id = ANY($1)", acknowledged);
        var taskIds = tasks.ToArray();
        if (taskIds.Length != taskIds.Distinct().Count())
        {
            broken.Add("one task acknowledged twice (a resent submit made no new task, yet two answers named it)");
            taskIds = [.. taskIds.Distinct()];
        }

        await Expect("acknowledged tasks stored", taskIds.Length, "SELECT count(*) FROM tasks WHERE id = ANY($1)", taskIds);
        await Expect("acknowledged tasks' holds", taskIds.Length, "SELECT count(*) FROM ledger_entries WHERE kind = 'hold' AND reference_id = ANY($1)", taskIds);
        await Expect("tasks charged more than once", 0,
            "SELECT count(*) FROM (SELECT reference_id FROM ledger_entries WHERE kind = 'charge' AND user_id = ANY($1) GROUP BY reference_id HAVING count(*) > 1) c",
            users);
        // A task is assigned again only after its run was lost (the platform logs both): never two runs at once.
        await Expect("tasks assigned again without their run being lost first", 0,
            """
            SELECT count(*) FROM tasks t
            WHERE t.user_id = ANY($1)
              AND (SELECT count(*) FROM task_logs l WHERE l.task_id = t.id AND l.source = 'platform' AND l.message LIKE 'assigned to GPU server %')
                > 1 + (SELECT count(*) FROM task_logs l WHERE l.task_id = t.id AND l.source = 'platform' AND l.message LIKE '%requeued%')
            """, users);
        if (agentTasks?.Distinct().ToArray() is { Length: > 0 } ran)
        {
            await Expect("agent tasks completed (none lost)", ran.Length, "SELECT count(*) FROM tasks WHERE id = ANY($1) AND status = 'completed'", ran);
        }

        if (nothingFailed)
        {
            await Expect("the accounts' tasks (no task made twice by a resend)", taskIds.Length, "SELECT count(*) FROM tasks WHERE user_id = ANY($1)", users);
            await Expect("the accounts' redemptions (one starter each)", acknowledged.Length + users.Length,
                "SELECT count(*) FROM recharge_records WHERE user_id = ANY($1)", users);
        }

        return broken;
    }

    /// <summary>
    /// Waits (up to <paramref name="timeout"/>) until every redemption of the accounts has its credit: a fault can cut
    /// a redemption between the code's claim and the account's credit, and the platform's sweep settles it (records
    /// older than 30 s, every minute). Returns how many were waiting at first.
    /// </summary>
    public static async Task<long> WaitForSettlementAsync(NpgsqlDataSource db, Guid[] users, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var first = -1L;
        while (true)
        {
            var unsettled = await CountAsync(db, UnsettledSql, [users]);
            first = first < 0 ? unsettled : first;
            if (unsettled == 0 || DateTime.UtcNow > deadline)
            {
                return first;
            }

            await Task.Delay(1000);
        }
    }

    private static async Task<long> CountAsync(NpgsqlDataSource db, string sql, object[] parameters)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var ids in parameters.Cast<Guid[]>())
        {
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
