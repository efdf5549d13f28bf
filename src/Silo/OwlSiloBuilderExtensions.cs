using Microsoft.Extensions.Options;
using Npgsql;
using OwlFactory.Database;
using OwlFactory.Database.Batching;
using Orleans.Serialization;
using Orleans.Storage;
using OwlFactory.GrainInterfaces;
using OwlFactory.Grains.Accounts;
using OwlFactory.Grains.Admin;
using OwlFactory.Grains.Fleet;
using OwlFactory.Grains.Recharge;
using OwlFactory.Grains.Tasks;

namespace OwlFactory.Silo;

/// <summary>The silo's providers and services, shared by the silo process and the test clusters.</summary>
public static class OwlSiloBuilderExtensions
{
    /// <summary>Grain storage, reminders, streams and the grains' own services, all on one PostgreSQL database.</summary>
    public static ISiloBuilder AddOwlGrains(this ISiloBuilder silo, string connectionString)
    {
        foreach (var name in new[] { OwlConstants.Storage, OwlConstants.PubSubStore })
        {
            // Orleans' own version-tolerant serializer (the [GenerateSerializer]/[Id] contract), not the provider's
            // default JSON, which cannot read back immutable collections.
            silo.AddAdoNetGrainStorage(name, (OptionsBuilder<AdoNetGrainStorageOptions> options) => options.Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = OwlConstants.AdoInvariant;
                o.ConnectionString = connectionString;
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        }
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = OwlConstants.AdoInvariant;
            o.ConnectionString = connectionString;
        });
        silo.AddMemoryStreams(OwlConstants.StreamProvider);
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        silo.AddIncomingGrainCallFilter<GrainBoundaryFilter>();

        silo.Services.AddSingleton(_ => OwlDataSource.Create(connectionString, "owl-silo"));
        silo.Services.AddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<WriteBatcher>();
        // A database error thrown while a grain activates (loading its rows) passes no grain call filter: let it
        // cross the cluster as itself, so the API host answers 503 for an outage instead of failing to read it.
        silo.Services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
        silo.Services.AddSingleton<UserStore>();
        silo.Services.AddSingleton<RechargeCodeStore>();
        silo.Services.AddSingleton<GpuServerStore>();
        silo.Services.AddSingleton<TaskStore>();
        silo.Services.AddSingleton<QueueSignal>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<QueueSignal>());
        silo.Services.AddOptions<FleetSettings>().BindConfiguration(FleetSettings.Section);
        silo.Services.AddSingleton<SystemConfigCache>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<SystemConfigCache>());
        return silo;
    }

    /// <summary>
    /// Membership in PostgreSQL: every silo that shares the database and cluster id joins one cluster. Failure
    /// detection is tuned so a killed silo is declared dead in about 6 s instead of about 15 s (docs/reliability.md):
    /// probes every 2 s, dead after 3 missed probes in a row, confirmed by 2 votes (every other silo of a 3-silo
    /// cluster). A probe that misses is retried through another silo first (indirect probes), and the timeout is
    /// extended while the prober itself is degraded, so a silo slowed by a busy machine is not voted out: on 2 busy
    /// cores a probe waits behind at most a few hundred milliseconds of queued work, far from 2 s.
    /// </summary>
    public static ISiloBuilder UseOwlClustering(this ISiloBuilder silo, string connectionString)
    {
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = OwlConstants.AdoInvariant;
            o.ConnectionString = connectionString;
        });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 3;
            o.NumProbedSilos = 2;
            o.NumVotesForDeathDeclaration = 2;
            o.EnableIndirectProbes = true;
            o.ExtendProbeTimeoutDuringDegradation = true;
            // Read the table (not only gossip) every 10 s, so a silo that missed a gossip still learns of a death soon.
            o.TableRefreshTimeout = TimeSpan.FromSeconds(10);
        });
        return silo;
    }
}
