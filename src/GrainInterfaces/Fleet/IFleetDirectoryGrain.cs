using System.Collections.Immutable;
using Orleans.Concurrency;

namespace OwlFactory.GrainInterfaces.Fleet;

/// <summary>
/// The cluster view: the latest summary of every server, pushed by the server grains, so that a list or the overview
/// is one grain call instead of one per server. Key: 0. Rebuilt from <c>gpu_servers</c> when it activates.
/// </summary>
[Alias("owl.IFleetDirectoryGrain")]
public interface IFleetDirectoryGrain : IGrainWithIntegerKey
{
    [OneWay, Alias("Report")]
    Task ReportAsync(ServerSummary summary);

    [Alias("Remove")]
    Task RemoveAsync(Guid serverId);

    [ReadOnly, Alias("List")]
    Task<ImmutableArray<ServerSummary>> ListAsync();
}
