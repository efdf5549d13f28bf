namespace OwlFactory.Database.Batching;

/// <summary>
/// Version guards that fail loudly (migration 0009, <c>owl_expect</c>): inside a batch nobody reads per-statement row
/// counts, so a guarded statement ends with a check that raises <see cref="Failed"/> when it wrote fewer rows than it
/// expected; the batch rolls back and each of its operations runs again alone, where the error reaches its own caller.
/// </summary>
public static class WriteGuard
{
    /// <summary>The SQLSTATE that <c>owl_expect</c> raises when a version guard does not hold.</summary>
    public const string Failed = "OW001";

    /// <summary>The query that ends a guarded statement: raises <see cref="Failed"/> unless <paramref name="countSql"/> equals <paramref name="expected"/>.</summary>
    public static string Expect(string countSql, string expected, string messageParameter)
        => $"SELECT owl_expect(({countSql}) = {expected}, {messageParameter})";
}
