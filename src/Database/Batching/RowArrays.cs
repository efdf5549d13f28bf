using Npgsql;
using NpgsqlTypes;

namespace OwlFactory.Database.Batching;

/// <summary>The array parameters of a <see cref="RowStatement{TRow}"/>: one column of its rows each.</summary>
public static class RowArrays
{
    /// <summary>The column <paramref name="value"/> of <paramref name="rows"/>, as one array (nulls included).</summary>
    public static NpgsqlParameter<T[]> Of<TRow, T>(IReadOnlyList<TRow> rows, Func<TRow, T> value)
        => new() { TypedValue = Column(rows, value) };

    /// <summary>
    /// A column of UTC instants, sent as <c>timestamptz[]</c> whatever the array holds (a cast in SQL would instead
    /// read a plain <c>timestamp[]</c> in the session's time zone).
    /// </summary>
    public static NpgsqlParameter<DateTime?[]> Timestamps<TRow>(IReadOnlyList<TRow> rows, Func<TRow, DateTime?> value)
        => new() { TypedValue = Column(rows, value), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };

    private static T[] Column<TRow, T>(IReadOnlyList<TRow> rows, Func<TRow, T> value)
    {
        var column = new T[rows.Count];
        for (var i = 0; i < column.Length; i++)
        {
            column[i] = value(rows[i]);
        }

        return column;
    }
}
