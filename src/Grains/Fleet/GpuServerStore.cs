using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;
using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.Grains.Fleet;

/// <summary>The <c>gpu_servers</c> rows: each written only by its server's grain, version-guarded.</summary>
public sealed class GpuServerStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "name, host, gpu_count, max_concurrent_tasks, total_memory, description, token_hash, status, maintenance, last_heartbeat, created_at, updated_at, deleted_at, version";

    public async Task<GpuServerState?> LoadAsync(Guid id)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM gpu_servers WHERE id = $1 AND deleted_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>Every registered server with its persisted status, for the directory's start.</summary>
    public async Task<IReadOnlyList<(Guid Id, GpuServerState State)>> LoadAllAsync()
    {
        await using var command = dataSource.CreateCommand($"SELECT id, {Columns} FROM gpu_servers WHERE deleted_at IS NULL");
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<(Guid, GpuServerState)>();
        while (await reader.ReadAsync())
        {
            result.Add((reader.GetGuid(0), Read(reader, 1)));
        }

        return result;
    }

    public async Task<ServerWriteStatus> InsertAsync(Guid id, GpuServerState state)
    {
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO gpu_servers (id, {Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1)");
        AddParameters(command, id, state);
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return e.ConstraintName == "ux_gpu_servers_name" ? ServerWriteStatus.NameTaken : ServerWriteStatus.AlreadyExists;
        }

        state.Version = 1;
        return ServerWriteStatus.Ok;
    }

    public async Task<ServerWriteStatus> UpdateAsync(Guid id, GpuServerState state)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE gpu_servers SET name = $2, host = $3, gpu_count = $4, max_concurrent_tasks = $5, total_memory = $6,
                description = $7, token_hash = $8, status = $9, maintenance = $10, last_heartbeat = $11, created_at = $12,
                updated_at = $13, deleted_at = $14, version = version + 1
            WHERE id = $1 AND version = $15
            """);
        AddParameters(command, id, state);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = state.Version });
        int rows;
        try
        {
            rows = await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ux_gpu_servers_name" })
        {
            return ServerWriteStatus.NameTaken;
        }

        if (rows == 0)
        {
            throw new InconsistentStateException($"gpu_servers row {id} is no longer at version {state.Version}");
        }

        state.Version++;
        return ServerWriteStatus.Ok;
    }

    private static GpuServerState Read(NpgsqlDataReader r, int o = 0) => new()
    {
        Name = r.GetString(o),
        Host = r.GetString(o + 1),
        GpuCount = r.GetInt32(o + 2),
        MaxConcurrentTasks = r.GetInt32(o + 3),
        TotalMemory = r.GetDecimal(o + 4),
        Description = r.IsDBNull(o + 5) ? null : r.GetString(o + 5),
        TokenHash = r.GetString(o + 6),
        Status = r.GetString(o + 7),
        Maintenance = r.GetBoolean(o + 8),
        LastHeartbeat = r.IsDBNull(o + 9) ? null : r.GetDateTime(o + 9),
        CreatedAt = r.GetDateTime(o + 10),
        UpdatedAt = r.GetDateTime(o + 11),
        DeletedAt = r.IsDBNull(o + 12) ? null : r.GetDateTime(o + 12),
        Version = r.GetInt64(o + 13),
    };

    private static void AddParameters(NpgsqlCommand command, Guid id, GpuServerState s)
    {
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        p.Add(new NpgsqlParameter<string> { TypedValue = s.Name });
        p.Add(new NpgsqlParameter<string> { TypedValue = s.Host });
        p.Add(new NpgsqlParameter<int> { TypedValue = s.GpuCount });
        p.Add(new NpgsqlParameter<int> { TypedValue = s.MaxConcurrentTasks });
        p.Add(new NpgsqlParameter<decimal> { TypedValue = s.TotalMemory });
        p.Add(new NpgsqlParameter { Value = (object?)s.Description ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<string> { TypedValue = s.TokenHash });
        p.Add(new NpgsqlParameter<string> { TypedValue = s.Status });
        p.Add(new NpgsqlParameter<bool> { TypedValue = s.Maintenance });
        p.Add(new NpgsqlParameter { Value = (object?)s.LastHeartbeat ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = s.CreatedAt });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = s.UpdatedAt });
        p.Add(new NpgsqlParameter { Value = (object?)s.DeletedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    /// <summary>The task types the agent runs, from its latest heartbeat (read by the queue's pending reasons).</summary>
    public async Task SetTaskTypesAsync(Guid id, string[] taskTypes)
    {
        await using var command = dataSource.CreateCommand("UPDATE gpu_servers SET task_types = $2 WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = taskTypes });
        await command.ExecuteNonQueryAsync();
    }
}
