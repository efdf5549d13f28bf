using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Runtime;
using OwlFactory.GrainInterfaces.Admin;

namespace OwlFactory.Grains.Admin;

public sealed partial class LogRetentionGrain(NpgsqlDataSource dataSource, SystemConfigCache config, ILogger<LogRetentionGrain> logger)
    : Grain, ILogRetentionGrain, IRemindable
{
    private const string ReminderName = "log-retention";
    private const int Batch = 10_000;

    // Table and time column of each log; fixed names, never input.
    private static readonly (string Table, string Column)[] Logs =
        [("system_logs", "ts"), ("user_actions", "created_at"), ("task_logs", "created_at")];

    public async Task EnsureScheduledAsync()
        => await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(10), TimeSpan.FromDays(1));

    public async Task<long> PurgeAsync()
    {
        var days = config.Current.LogRetentionDays;
        var cutoff = DateTime.UtcNow.AddDays(-days);
        long removed = 0;
        foreach (var (table, column) in Logs)
        {
            int rows;
            do
            {
                await using var command = dataSource.CreateCommand(
                    $"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE {column} < $1 LIMIT {Batch})");
                command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = cutoff });
                rows = await command.ExecuteNonQueryAsync();
                removed += rows;
            }
            while (rows == Batch);
        }

        LogPurged(removed, days);
        return removed;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => PurgeAsync();

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Log retention removed {Rows} record(s) older than {Days} days")]
    private partial void LogPurged(long rows, int days);
}
