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

    /// <summary>Membership in PostgreSQL: every silo that shares the database and cluster id joins one cluster.</summary>
    public static ISiloBuilder UseOwlClustering(this ISiloBuilder silo, string connectionString)
        => silo.UseAdoNetClustering(o =>
        {
            o.Invariant = OwlConstants.AdoInvariant;
            o.ConnectionString = connectionString;
        });
}
