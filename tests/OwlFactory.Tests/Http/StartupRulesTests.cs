using System.Globalization;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

/// <summary>
/// Outside Development, secrets must come from configuration: the processes refuse to start without them. Deployment
/// settings that cannot work stop the start too, with a message that names what to fix.
/// </summary>
public sealed class StartupRulesTests
{
    [Fact]
    public Task ApiHost_ProductionWithoutSigningKey_RefusesToStart()
        => AssertRefusesToStartAsync("ApiHost", "api-production", "Owl:Auth:SigningKey", new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Owl"] = TestDatabase.ConnectionString,
            ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
        });

    [Fact]
    public Task ApiHost_MalformedTrustedProxy_RefusesToStart()
        => AssertRefusesToStartAsync("ApiHost", "api-bad-proxy", "Owl:Http:TrustedProxies", new()
        {
            ["ConnectionStrings__Owl"] = TestDatabase.ConnectionString,
            ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Owl__Http__TrustedProxies__0"] = "not-a-network",
        });

    /// <summary>
    /// Owl:Cluster:Kubernetes turns Orleans' Kubernetes hosting on: outside a pod (no POD_NAMESPACE, no service
    /// account) its options do not validate and the silo stops at once, which shows the switch reaches the package.
    /// </summary>
    [Fact]
    public Task Silo_KubernetesHostingOutsideAPod_RefusesToStart()
        => AssertRefusesToStartAsync("Silo", "silo-k8s-outside", "POD_NAMESPACE", new()
        {
            ["ConnectionStrings__Owl"] = TestDatabase.ConnectionString,
            ["Owl__Database__MigrateOnStart"] = "false",
            ["Owl__Cluster__ClusterId"] = $"k8s-{Guid.NewGuid():N}",
            ["Owl__Cluster__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Owl__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Owl__Cluster__Kubernetes"] = "true",
            ["POD_IP"] = "127.0.0.1",
            // Empty, not inherited: a test run inside a pod must not find a namespace either.
            ["POD_NAMESPACE"] = "",
        });

    [Fact]
    public Task Silo_KubernetesHostingWithoutPodIp_RefusesToStart()
        => AssertRefusesToStartAsync("Silo", "silo-k8s-no-ip", "POD_IP", new()
        {
            ["ConnectionStrings__Owl"] = TestDatabase.ConnectionString,
            ["Owl__Database__MigrateOnStart"] = "false",
            ["Owl__Cluster__Kubernetes"] = "true",
            ["POD_IP"] = "",
        });

    /// <summary>The process exits by itself within a minute, unsuccessfully, and its output names <paramref name="named"/>.</summary>
    private static async Task AssertRefusesToStartAsync(string project, string name, string named, Dictionary<string, string> environment)
    {
        using var process = OwlProcess.Start(project, name, environment);

        var exited = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exited, $"{name} kept running; its output: {process.RecentOutput}");
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(named, process.RecentOutput, StringComparison.Ordinal);
    }
}
