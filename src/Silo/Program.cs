using OpenTelemetry.Metrics;
using Orleans.Dashboard;
using OwlFactory.GrainInterfaces;
using Orleans.Connections.Security;
using OwlFactory.Database;
using OwlFactory.Database.Hosting;
using OwlFactory.Database.Logging;
using OwlFactory.Silo;
using OwlFactory.Silo.Accounts;

// The content root is the program's folder, so appsettings.json is found whatever the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var connectionString = builder.Configuration.GetConnectionString("Owl")
    ?? throw new InvalidOperationException("ConnectionStrings:Owl is not set.");

if (args is ["migrate", ..])
{
    await DatabaseMigrator.MigrateAsync(connectionString, logToConsole: true);
    return;
}

if (builder.Configuration.GetValue("Owl:Database:MigrateOnStart", true))
{
    await DatabaseMigrator.MigrateAsync(connectionString, logToConsole: false);
}

builder.AddSystemLogs(connectionString, "silo");

builder.Services.AddOptions<ClusterSettings>().BindConfiguration(ClusterSettings.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<BootstrapSettings>().BindConfiguration(BootstrapSettings.Section);
var cluster = builder.Configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();

builder.UseOrleans(silo =>
{
    silo.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = cluster.ClusterId;
        o.ServiceId = cluster.ServiceId;
    });
    if (cluster.Kubernetes)
    {
        // The pod's address, set here: Orleans' default fills an unset address with the host's first one before the
        // Kubernetes hosting would look at POD_IP, so the pod's own would not be used on a pod with two interfaces.
        silo.ConfigureEndpoints(ClusterSettings.PodIp(), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        silo.UseKubernetesHosting();
    }
    else
    {
        silo.ConfigureEndpoints(cluster.ResolveAdvertisedIp(), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: cluster.ListenOnAnyAddress);
    }

    if (builder.Configuration.GetSection(ClusterTlsSettings.Section).Get<ClusterTlsSettings>() is { Enabled: true } tls)
    {
        var certificate = tls.LoadCertificate();
        silo.UseTls(certificate, o =>
        {
            o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            o.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            o.RemoteCertificateValidation = (peer, _, errors) => tls.IsTrustedPeer(certificate, peer, errors);
        });
    }
    silo.UseOwlClustering(connectionString);
    silo.AddOwlGrains(connectionString);
    silo.AddDashboard();
});

// Metrics of the silo (Orleans' and the platform's own) on their own Prometheus port when one is configured.
if (builder.Configuration.GetValue("Owl:Metrics:PrometheusPort", 0) is > 0 and var metricsPort)
{
    builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
        .AddMeter("Microsoft.Orleans", OwlMetrics.MeterName)
        .AddPrometheusHttpListener(o =>
        {
            o.Host = builder.Configuration.GetValue("Owl:Metrics:Host", "localhost")!;
            o.Port = metricsPort;
        }));
}

// Registered after UseOrleans, so it starts once the silo is up.
builder.Services.AddHostedService<AdminBootstrapper>();
builder.Services.AddHostedService<ClusterJobsStarter>();

await builder.Build().RunAsync();
