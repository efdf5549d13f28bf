using Npgsql;

namespace OwlFactory.Database;

/// <summary>Which PostgreSQL errors mean "the database is unavailable for now" (a 503 and a retry later), not a bug.</summary>
public static class DatabaseFaults
{
    /// <summary>
    /// Npgsql's transient errors, plus the server refusing connections while it starts, recovers or shuts down
    /// (class 57P: <c>57P03</c> "the database system is starting up" after a crash), a lost connection (class 08) and
    /// exhausted resources (class 53). A statement the server refused for what it says is not among them.
    /// </summary>
    public static bool IsUnavailable(PostgresException exception)
    {
        // An exception that crossed the cluster (a grain's activation failed on the database) arrives with its message
        // only ("57P03: the database system is starting up"); the state is its first word.
        var state = exception.SqlState ?? exception.Message.Split(':', 2)[0];
        return exception.IsTransient
            || state.StartsWith("57P", StringComparison.Ordinal)
            || state.StartsWith("08", StringComparison.Ordinal)
            || state.StartsWith("53", StringComparison.Ordinal);
    }
}
