using Npgsql;

namespace OwlFactory.Database.Batching;

/// <summary>
/// A <see cref="RowStatement"/> for rows of type <typeparamref name="TRow"/>. <c>sql</c> reads its rows from the
/// arrays that <c>bind</c> adds ($1…$n, in the order added). When the statement guards versions, <c>guard</c> is the
/// query counting the rows it wrote (e.g. <c>SELECT count(*) FROM t</c>, over the statement's own CTEs), and the
/// statement fails with <see cref="WriteGuard.Failed"/> unless every row was written; <c>staleMessage</c> says which row
/// did not hold when the statement wrote one row only (an operation run alone), so its caller learns which.
/// </summary>
public sealed class RowStatement<TRow>(
    int rank,
    string sql,
    Action<NpgsqlParameterCollection, IReadOnlyList<TRow>> bind,
    string? guard = null,
    Func<TRow, string>? staleMessage = null) : RowStatement(rank)
    where TRow : notnull
{
    internal override NpgsqlBatchCommand Build(IReadOnlyList<object> rows)
    {
        var typed = new TRow[rows.Count];
        for (var i = 0; i < typed.Length; i++)
        {
            typed[i] = (TRow)rows[i];
        }

        var command = new NpgsqlBatchCommand();
        bind(command.Parameters, typed);
        if (guard is null)
        {
            command.CommandText = sql;
            return command;
        }

        var count = command.Parameters.Count + 1;
        command.CommandText = $"{sql} {WriteGuard.Expect(guard, $"${count}", $"${count + 1}")}";
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = typed.Length });
        command.Parameters.Add(new NpgsqlParameter<string>
        {
            TypedValue = typed.Length == 1 && staleMessage is not null
                ? staleMessage(typed[0])
                : $"{typed.Length} rows written together: one or more were no longer at their expected version",
        });
        return command;
    }
}
