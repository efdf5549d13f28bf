using Npgsql;
using OwlFactory.Database;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>The real PostgreSQL that <c>./owl test</c> starts; migrated once per test run.</summary>
public static class TestDatabase
{
    public static string ConnectionString { get; } = Environment.GetEnvironmentVariable("OWL_TEST_CONNECTION")
        ?? throw new InvalidOperationException("OWL_TEST_CONNECTION is not set: run the tests with ./owl test.");

    private static readonly Lazy<Task> Migration = new(() => DatabaseMigrator.MigrateAsync(ConnectionString, logToConsole: false));
    private static readonly Lazy<NpgsqlDataSource> Source = new(() => NpgsqlDataSource.Create(ConnectionString));

    public static NpgsqlDataSource DataSource => Source.Value;

    public static Task EnsureMigratedAsync() => Migration.Value;

    /// <summary>A fresh, migrated database beside the shared one (dropped first if a run left it); answers its connection string.</summary>
    public static async Task<string> CreateAsync(string name)
    {
        // Through the server's maintenance database: the shared test database may not exist yet.
        var maintenance = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using (var connection = new NpgsqlConnection(maintenance))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
        await DatabaseMigrator.MigrateAsync(connectionString, logToConsole: false);
        return connectionString;
    }

    /// <summary>Runs <paramref name="sql"/> on a connection the test holds (its session settings, temporary tables, transaction).</summary>
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
