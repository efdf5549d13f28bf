using Orleans.Configuration;

namespace OwlFactory.ApiHost.Cluster;

/// <summary>How the API host's cluster client rides over a lost silo.</summary>
public static class ClusterClientResilience
{
    /// <summary>
    /// Retries grain calls whose silo went away (<see cref="GrainCallRetryFilter"/>) and refreshes the gateway list
    /// from the membership table every few seconds, so a dead gateway leaves the list soon after it is declared dead
    /// and a new silo is used soon after it joins.
    /// </summary>
    public static IClientBuilder AddOwlClientResilience(this IClientBuilder client)
    {
        client.AddOutgoingGrainCallFilter<GrainCallRetryFilter>();
        // A call that was inside a silo when it was killed gets no answer: it fails after this timeout and is retried
        // (most calls answer in milliseconds). Long polls and big batches carry their own [ResponseTimeout].
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        return client;
    }
}
