using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

/// <summary>Outside Development, secrets must come from configuration: the processes refuse to start without them.</summary>
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
}
