using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Dashboard;
using OwlFactory.Database.Hosting;
using OwlFactory.GrainInterfaces;

namespace OwlFactory.ApiHost.Cluster;

public static class ClusterClientExtensions
{
    /// <summary>
    /// The cluster: an Orleans client that finds gateways in PostgreSQL. The host starts without waiting for it, so
    /// /api/health can say "not ready" until a silo appears.
    /// </summary>
    public static WebApplicationBuilder AddOwlClusterClient(this WebApplicationBuilder builder, string connectionString)
    {
        var cluster = builder.Configuration.GetSection(ClusterClientSettings.Section).Get<ClusterClientSettings>() ?? new ClusterClientSettings();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = OwlConstants.AdoInvariant;
                o.ConnectionString = connectionString;
            });
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                return true;
            });
            client.AddMemoryStreams(OwlConstants.StreamProvider);
            // Database errors from a grain's activation arrive as themselves (see the silo's matching setting): 503, not 500.
            client.Services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
            client.AddDashboard();
            if (builder.Configuration.GetSection(ClusterTlsSettings.Section).Get<ClusterTlsSettings>() is { Enabled: true } tls)
            {
                var certificate = tls.LoadCertificate();
                client.UseTls(certificate, o =>
                {
                    o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
                    o.RemoteCertificateValidation = (peer, _, errors) => tls.IsTrustedPeer(certificate, peer, errors);
                });
            }

            client.AddOwlClientResilience();
        });
        return builder;
    }
}
