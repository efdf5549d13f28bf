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
    [Alias("Delete")]
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
    /// The agent's long poll: with a free slot the server claims queued work at once; the call answers when there is
    /// something new to start or stop, otherwise when the wait (capped at the heartbeat interval, so telemetry stays
    /// fresh) has passed.
    /// </summary>
    [AlwaysInterleave, Alias("Poll")]
    Task<HeartbeatReply> PollAsync(AgentPoll poll);

    /// <summary>A task this server held has ended or moved: its slot is free (and the agent told to stop it if it runs).</summary>
    [AlwaysInterleave, Alias("Release")]
    Task ReleaseAsync(Guid taskId);
}
