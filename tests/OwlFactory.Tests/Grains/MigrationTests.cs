using Npgsql;
using OwlFactory.Database;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Grains;

/// <summary>The schema scripts: applied once each by the migrator, and harmless if a script runs a second time.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task MigrateAsync_TwiceThenEveryScriptAgain_LeavesOneJournalEntryPerScriptAndNoError()
    {
        await TestDatabase.EnsureMigratedAsync();
        var database = $"owl_migration_{Guid.NewGuid():N}";
        var connectionString = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = database, Pooling = false }.ConnectionString;
        try
        {
            await DatabaseMigrator.MigrateAsync(connectionString, logToConsole: false);
            await DatabaseMigrator.MigrateAsync(connectionString, logToConsole: false);

            var scripts = typeof(DatabaseMigrator).Assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)).ToArray();
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            foreach (var script in scripts.Order())
            {
                using var reader = new StreamReader(typeof(DatabaseMigrator).Assembly.GetManifestResourceStream(script)!);
                await using var again = new NpgsqlCommand(await reader.ReadToEndAsync(), connection);
                await again.ExecuteNonQueryAsync();
            }

            await using var journal = new NpgsqlCommand("SELECT count(*), count(DISTINCT scriptname) FROM schemaversions", connection);
            await using var row = await journal.ExecuteReaderAsync();
            await row.ReadAsync();
            // Numbered 0001, 0002, … without a gap or a repeat, each embedded once: none is missing from the assembly.
            var numbers = scripts.Select(n => n.Split('.')[^2][..4]).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(Enumerable.Range(1, scripts.Length).Select(i => i.ToString("0000", System.Globalization.CultureInfo.InvariantCulture)), numbers);
            Assert.Equal(scripts.Length, row.GetInt64(0));
            Assert.Equal(scripts.Length, row.GetInt64(1));
        }
        finally
        {
            await using var admin = TestDatabase.DataSource.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            await admin.ExecuteNonQueryAsync();
        }
    }
}
