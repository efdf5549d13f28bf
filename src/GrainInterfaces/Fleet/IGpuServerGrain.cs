using System.Collections.Immutable;
using Orleans.Concurrency;

namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>
/// One GPU server. Key: the server id (a GUID). Consumes its telemetry stream (implicit subscription), keeps the
/// latest sample and a short history in memory, derives the status (online, busy, offline after lost heartbeats,
/// maintenance) and persists registration and status changes to its <c>gpu_servers</c> row.
/// </summary>
[Alias("owl.IGpuServerGrain")]
public interface IGpuServerGrain : IGrainWithGuidKey
{
    [Alias("Create")]
    Task<ServerWriteStatus> CreateAsync(ServerSpec spec, string tokenHash);

    /// <summary>Changes the registration; <paramref name="maintenance"/> null leaves the maintenance flag as it is.</summary>
    [Alias("Update")]
    Task<ServerWriteStatus> UpdateAsync(ServerSpec spec, bool? maintenance);

    /// <summary>Removes the server; refused while it runs tasks.</summary>
    [NotIdempotent, Alias("Delete")]
    Task<ServerWriteStatus> DeleteAsync();

    /// <summary>Replaces the agent token's hash; the old token stops working with this call.</summary>
    [Alias("RotateToken")]
    Task<bool> RotateTokenAsync(string tokenHash);

    [AlwaysInterleave, Alias("Authenticate")]
    Task<bool> AuthenticateAsync(string tokenHash);

    [AlwaysInterleave, Alias("GetSummary")]
    Task<ServerSummary?> GetSummaryAsync();

    [AlwaysInterleave, Alias("GetLiveStatus")]
    Task<ServerLiveStatus?> GetLiveStatusAsync();

    /// <summary>The samples of the last <paramref name="minutes"/> minutes, oldest first.</summary>
    [AlwaysInterleave, Alias("GetHistory")]
    Task<ImmutableArray<GpuTelemetry>> GetHistoryAsync(int minutes);

    /// <summary>
    /// An agent's heartbeat, whole, in one call: the token's hash checked against the server's (null: not this
    /// server's token), the telemetry sample taken, then the long poll: with a free slot the server claims queued
    /// work; the call answers when there is something new to start or stop, otherwise when the wait (capped at the
    /// heartbeat interval, so telemetry stays fresh) has passed. Nothing is written to PostgreSQL unless something
    /// durable changes (the status, the task types, an assignment).
    /// </summary>
    [ResponseTimeout("00:00:30")]
    [AlwaysInterleave, Alias("Heartbeat")]
    Task<HeartbeatReply?> HeartbeatAsync(string tokenHash, GpuTelemetry sample, TimeSpan wait);

    /// <summary>
    /// Someone watches this server's live telemetry: for the next minute the grain publishes every sample on the
    /// server's stream (<see cref="FleetStreams.Telemetry"/>). Watchers call again while they watch.
    /// </summary>
    [AlwaysInterleave, Alias("Watch")]
    Task WatchAsync();

    /// <summary>A task this server held has ended or moved: its slot is free (and the agent told to stop it if it runs).</summary>
    [AlwaysInterleave, Alias("Release")]
    Task ReleaseAsync(Guid taskId);
}
