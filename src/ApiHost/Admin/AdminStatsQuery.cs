using Npgsql;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.ApiHost.Admin;

public sealed class AdminStatsQuery(NpgsqlDataSource dataSource)
{
    public async Task<AdminStatsResponse> GetAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            WITH t AS (SELECT status, count(*) AS n FROM tasks GROUP BY status),
                 u AS (SELECT count(*) AS total, count(*) FILTER (WHERE is_active) AS active,
                              coalesce(sum(balance), 0) AS balance, coalesce(sum(held), 0) AS held FROM users),
                 s AS (SELECT count(*) AS total, count(*) FILTER (WHERE status IN ('online', 'busy')) AS online
                       FROM gpu_servers WHERE deleted_at IS NULL)
            SELECT u.total, u.active,
                   coalesce((SELECT sum(n) FROM t), 0)::bigint,
                   coalesce((SELECT n FROM t WHERE status = '{TaskStatuses.Pending}'), 0),
                   coalesce((SELECT n FROM t WHERE status = '{TaskStatuses.Running}'), 0),
                   coalesce((SELECT n FROM t WHERE status = '{TaskStatuses.Completed}'), 0),
                   coalesce((SELECT n FROM t WHERE status = '{TaskStatuses.Failed}'), 0),
                   coalesce((SELECT n FROM t WHERE status = '{TaskStatuses.Cancelled}'), 0),
                   (SELECT count(*) FROM task_queue),
                   s.total, s.online,
                   (SELECT coalesce(-sum(amount), 0) FROM ledger_entries WHERE kind = 'charge'),
                   u.balance, u.held
            FROM u, s
            """);
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        await r.ReadAsync(cancellationToken);
        return new AdminStatsResponse(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5),
            r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), r.GetDecimal(11), r.GetDecimal(12), r.GetDecimal(13));
    }
}
