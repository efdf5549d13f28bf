using System.Data.Common;
using Npgsql;

namespace OwlFactory.Database;

/// <summary>
/// The one place a process's main PostgreSQL pool is configured. A request's statements are few and always the same,
/// so they are prepared once per connection (automatic preparation) instead of parsed and planned on every call, and a
/// connection returned to the pool is not reset (<c>DISCARD ALL</c> would drop those prepared statements and cost a
/// round trip). Nothing of ours leaves session state behind (no <c>SET</c>, no temporary tables; the one
/// <c>LISTEN</c> connection unlistens before it goes back). A modest pool keeps PostgreSQL's backends few on small
/// machines: the write batcher needs a handful of connections, not one per request.
/// </summary>
public static class OwlDataSource
{
    public static NpgsqlDataSource Create(string connectionString, string applicationName, int defaultMaxPoolSize = 32)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Given(params string[] names) => names.Any(given.ContainsKey);
        if (!Given("Maximum Pool Size", "Max Pool Size", "MaxPoolSize"))
        {
            settings.MaxPoolSize = defaultMaxPoolSize;
        }

        if (!Given("Max Auto Prepare", "MaxAutoPrepare"))
        {
            settings.MaxAutoPrepare = 128;
            settings.AutoPrepareMinUsages = 2;
        }

        if (!Given("No Reset On Close", "NoResetOnClose"))
        {
            settings.NoResetOnClose = true;
        }

        settings.ApplicationName ??= applicationName;
        return builder.Build();
    }
}
