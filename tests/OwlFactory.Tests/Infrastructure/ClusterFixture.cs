using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OwlFactory.GrainInterfaces.Admin;
using OwlFactory.Grains.Admin;
using OwlFactory.Silo;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>
/// Two in-process silos on the real PostgreSQL: ADO.NET membership, grain storage and reminders, exactly as the
/// silo process configures them. A fresh cluster id per fixture; a fixed service id so storage rows stay readable.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string ServiceId = "owl-tests";

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        await TestDatabase.EnsureMigratedAsync();
        var builder = new TestClusterBuilder(2);
        builder.Options.ClusterId = $"grain-tests-{Guid.NewGuid():N}";
        builder.Options.ServiceId = ServiceId;
        builder.Options.UseTestClusterMembership = false;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>Waits until every silo's copy of the live config (which follows the config grain by a long poll) satisfies <paramref name="until"/>.</summary>
    public Task WaitForConfigAsync(Func<SystemConfig, bool> until)
        => Poll.UntilAsync(
            () => Task.FromResult(Cluster.Silos.Select(s => ((InProcessSiloHandle)s).ServiceProvider.GetRequiredService<SystemConfigCache>().Current).ToList()),
            copies => copies.All(until), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20), _ => "a silo never took the new config");

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UseOwlClustering(TestDatabase.ConnectionString);
            siloBuilder.AddOwlGrains(TestDatabase.ConnectionString);
            // Short enough for a test to watch a reminder fire.
            siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
            => clientBuilder
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = GrainInterfaces.OwlConstants.AdoInvariant;
                    o.ConnectionString = TestDatabase.ConnectionString;
                })
                .AddMemoryStreams(GrainInterfaces.OwlConstants.StreamProvider);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterGroup : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
