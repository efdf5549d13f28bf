using Npgsql;
using OwlFactory.GrainInterfaces;
using OwlFactory.Grains.Accounts;
using OwlFactory.Grains.Admin;
using OwlFactory.Grains.Fleet;
using OwlFactory.Grains.Recharge;

namespace OwlFactory.Silo;

/// <summary>The silo's providers and services, shared by the silo process and the test clusters.</summary>
public static class OwlSiloBuilderExtensions
{
    /// <summary>Grain storage, reminders, streams and the grains' own services, all on one PostgreSQL database.</summary>
    public static ISiloBuilder AddOwlGrains(this ISiloBuilder silo, string connectionString)
    {
        silo.AddAdoNetGrainStorage(OwlConstants.Storage, o =>
        {
            o.Invariant = OwlConstants.AdoInvariant;
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(OwlConstants.PubSubStore, o =>
        {
            o.Invariant = OwlConstants.AdoInvariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = OwlConstants.AdoInvariant;
            o.ConnectionString = connectionString;
        });
        silo.AddMemoryStreams(OwlConstants.StreamProvider);
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));

        silo.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        silo.Services.AddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<UserStore>();
        silo.Services.AddSingleton<RechargeCodeStore>();
        silo.Services.AddSingleton<GpuServerStore>();
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
