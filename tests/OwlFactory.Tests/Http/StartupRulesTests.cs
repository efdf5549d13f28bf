using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

/// <summary>
/// Outside Development, secrets must come from configuration: the processes refuse to start without them. Deployment
/// settings that cannot work stop the start too, with a message that names what to fix.
/// </summary>
public sealed class StartupRulesTests
{
    [Fact]
    public async Task ApiHost_ProductionWithoutSigningKey_RefusesToStart()
    {
        using var api = OwlProcess.Start("ApiHost", "api-production", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Owl"] = TestDatabase.ConnectionString,
            ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
        });

        var exited = await api.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exited, "the API host kept running without a signing key");
        Assert.NotEqual(0, api.ExitCode);
        Assert.Contains("Owl:Auth:SigningKey", api.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiHost_MalformedTrustedProxy_RefusesToStart()
    {
        using var api = OwlProcess.Start("ApiHost", "api-bad-proxy", new Dictionary<string, string>
        {
            ["ConnectionStrings__Owl"] = TestDatabase.ConnectionString,
            ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Owl__Http__TrustedProxies__0"] = "not-a-network",
        });

        var exited = await api.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exited, "the API host started with a trusted proxy it could not read");
        Assert.NotEqual(0, api.ExitCode);
        Assert.Contains("Owl:Http:TrustedProxies", api.RecentOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// Owl:Cluster:Kubernetes turns Orleans' Kubernetes hosting on: outside a pod (no POD_NAMESPACE, no service
    /// account) its options do not validate and the silo stops at once, which shows the switch reaches the package.
    /// Without POD_IP it stops before, naming that variable.
    /// </summary>
    [Fact]
    public async Task Silo_KubernetesHostingOutsideAPod_RefusesToStart()
    {
        using var silo = OwlProcess.Start("Silo", "silo-k8s-outside", new Dictionary<string, string>
        {
            ["ConnectionStrings__Owl"] = TestDatabase.ConnectionString,
            ["Owl__Database__MigrateOnStart"] = "false",
            ["Owl__Cluster__ClusterId"] = $"k8s-{Guid.NewGuid():N}",
            ["Owl__Cluster__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Owl__Cluster__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Owl__Cluster__Kubernetes"] = "true",
            ["POD_IP"] = "127.0.0.1",
            // Empty, not inherited: a test run inside a pod must not find a namespace either.
            ["POD_NAMESPACE"] = "",
        });

        var exited = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exited, "the silo started with Kubernetes hosting outside a pod");
        Assert.NotEqual(0, silo.ExitCode);
        Assert.Contains("POD_NAMESPACE", silo.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_KubernetesHostingWithoutPodIp_RefusesToStart()
    {
        using var silo = OwlProcess.Start("Silo", "silo-k8s-no-ip", new Dictionary<string, string>
        {
            ["ConnectionStrings__Owl"] = TestDatabase.ConnectionString,
            ["Owl__Database__MigrateOnStart"] = "false",
            ["Owl__Cluster__Kubernetes"] = "true",
            ["POD_IP"] = "",
        });

        var exited = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exited, "the silo started in Kubernetes without its pod's address");
        Assert.NotEqual(0, silo.ExitCode);
        Assert.Contains("POD_IP", silo.RecentOutput, StringComparison.Ordinal);
    }
}
