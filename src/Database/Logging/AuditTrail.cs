using OwlFactory.Database.Batching;

namespace OwlFactory.Database.Logging;

/// <summary>
/// The audit trail's row (<c>user_actions</c>), written in the batch of whoever commits the action: the silo's, in the
/// same transaction as the action's own writes (a submit, a redemption), or the API host's for every other request.
/// </summary>
public static class AuditTrail
{
    /// <summary>One audit row, coalesced with the batch's others into one statement.</summary>
    public static BatchRow Row(Guid? userId, string action, string details, string? ip, string? userAgent, DateTime at)
        => BatchRow.Of(Actions, new Record(userId, action, details, ip, userAgent, at));

    private sealed record Record(Guid? UserId, string Action, string Details, string? Ip, string? UserAgent, DateTime At);

    private static readonly RowStatement<Record> Actions = new(
        WriteRanks.Audit,
        """
        INSERT INTO user_actions (user_id, action, details, ip_address, user_agent, created_at)
        SELECT a.user_id, a.action, a.details::jsonb, a.ip, a.user_agent, a.at
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS a(user_id, action, details, ip, user_agent, at)
        """,
        (p, records) =>
        {
            p.Add(RowArrays.Of(records, r => r.UserId));
            p.Add(RowArrays.Of(records, r => r.Action));
            p.Add(RowArrays.Of(records, r => r.Details));
            p.Add(RowArrays.Of(records, r => r.Ip));
            p.Add(RowArrays.Of(records, r => r.UserAgent));
            p.Add(RowArrays.Timestamps(records, r => r.At));
        });
}
