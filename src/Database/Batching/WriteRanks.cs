namespace OwlFactory.Database.Batching;

/// <summary>
/// The order in which a batch runs its <see cref="RowStatement"/>s, in one place for every process. Every row that a
/// foreign key names exists before its batch (a task's account, a ledger entry's account), so the order is chosen for
/// the errors: a task's version guard runs before its account's ledger entries, so a stale task write fails as stale
/// (and its grain reloads) rather than as the duplicate ledger key that would follow from it.
/// </summary>
public static class WriteRanks
{
    /// <summary>New tasks, with their queue rows and first log lines.</summary>
    public const int NewTasks = 10;

    /// <summary>Changes of existing tasks, with their queue changes and log lines.</summary>
    public const int TaskUpdates = 20;

    /// <summary>Claimed uses of recharge codes, with their records (a stale claim fails as stale, before its credit).</summary>
    public const int CodeClaims = 25;

    /// <summary>Accounts (<c>users</c>) and their ledger entries.</summary>
    public const int Accounts = 30;

    /// <summary>The audit trail (<c>user_actions</c>; see <see cref="Logging.AuditTrail"/>).</summary>
    public const int Audit = 90;
}
