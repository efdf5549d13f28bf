using DbUp;
using Npgsql;

namespace OwlFactory.Database;

/// <summary>
/// Brings a PostgreSQL database to the project's schema: the versioned scripts under Migrations/, each applied once
/// (DbUp records them in <c>schemaversions</c>), in name order, one transaction per script.
/// </summary>
public static class DatabaseMigrator
{
    // Any constant works; it only has to be the same for every process that migrates this database.
    private const long MigrationLockKey = 0x0_71_F4_C7_00_01;

    /// <summary>Creates the database if needed and applies the scripts not applied yet. Safe to run from several processes at once.</summary>
    public static async Task MigrateAsync(string connectionString, bool logToConsole, CancellationToken cancellationToken = default)
    {
        EnsureDatabase.For.PostgresqlDatabase(connectionString, logToConsole ? new DbUp.Engine.Output.ConsoleUpgradeLog() : new DbUp.Engine.Output.NoOpUpgradeLog());

        // DbUp itself does not guard against two migrators racing; a session-level advisory lock does.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var builder = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly)
                .WithTransactionPerScript();
            builder = logToConsole ? builder.LogToConsole() : builder.LogToNowhere();
            var result = builder.Build().PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
            }
        }
        finally
        {
            await using var unlockCommand = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", connection);
            await unlockCommand.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
