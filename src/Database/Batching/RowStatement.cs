using Npgsql;

namespace OwlFactory.Database.Batching;

/// <summary>
/// A statement that writes the rows of every operation in a batch at once: its parameters are arrays, one element per
/// row, read back with <c>unnest</c>. PostgreSQL then parses, plans and runs one statement per kind of write and batch
/// instead of one per row, and the process binds a few arrays instead of dozens of parameters per write. Operations
/// add rows with <see cref="BatchRow.Of{TRow}"/>; the statements of a batch run in <see cref="Rank"/> order (a
/// statement that a foreign key depends on ranks first), before any operation's own commands.
/// </summary>
public abstract class RowStatement(int rank)
{
    /// <summary>Where this statement runs in a batch: lower first.</summary>
    public int Rank { get; } = rank;

    /// <summary>One command writing <paramref name="rows"/> (all of this statement's type), in their order.</summary>
    internal abstract NpgsqlBatchCommand Build(IReadOnlyList<object> rows);
}
