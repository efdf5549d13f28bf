using System.Net;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

[Collection(SystemGroup.Name)]
public sealed class PlatformHttpTests(SystemFixture system) : IDisposable
{
    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Health_ClusterUp_ReportsReady()
    {
        var call = await _api.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal("ready", call.Data["status"]!.GetValue<string>());
        Assert.True(call.Data["database"]!.GetValue<bool>());
        Assert.True(call.Data["cluster"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/health/live")).Status);
    }

    [Fact]
    public async Task UnknownRoute_Returns404Envelope()
    {
        var call = await _api.GetAsync("/api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, call.Status);
        Assert.False(call.Body["success"]!.GetValue<bool>());
        Assert.Equal("RESOURCE_NOT_FOUND", call.ErrorCode);
    }

    [Fact]
    public async Task OpenApi_DocumentListsTheAccountEndpoints_AndDocsPageIsServed()
    {
        using var http = new HttpClient { BaseAddress = system.BaseAddress };

        var document = await http.GetStringAsync("/api/openapi/v1.json");
        var docs = await http.GetAsync("/api/docs");

        foreach (var path in new[] { "/api/auth/register", "/api/auth/login", "/api/users/me", "/api/users/change-password", "/api/users/stats" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }
}
