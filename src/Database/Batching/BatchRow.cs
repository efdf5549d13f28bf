namespace OwlFactory.Database.Batching;

/// <summary>One row that an operation writes through a <see cref="RowStatement"/>, coalesced with the batch's others.</summary>
public readonly record struct BatchRow(RowStatement Statement, object Row)
{
    public static BatchRow Of<TRow>(RowStatement<TRow> statement, TRow row)
        where TRow : notnull => new(statement, row);
}
