using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

/// <summary>The console's files and page addresses as the API host serves them, and the OpenAPI document's shape.</summary>
[Collection(SystemGroup.Name)]
public sealed partial class ConsoleHttpTests(SystemFixture system)
{
    [Fact]
    public async Task Root_ServesTheConsole_PageAddressesFallBackToIt_ApiRoutesStayEnvelopes()
    {
        using var http = new HttpClient { BaseAddress = system.BaseAddress };

        var root = await http.GetAsync("/");
        var html = await root.Content.ReadAsStringAsync();
        var deepLink = await http.GetAsync("/tasks/0190f7c4-0002-7000-8000-000000000002");
        var unknownApi = await http.GetAsync("/api/no-such-route");
        var missingAsset = await http.GetAsync("/assets/no-such-file.js");
        var asset = await http.GetAsync(AssetPattern().Match(html).Value);

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"root\">", html, StringComparison.Ordinal);
        Assert.Equal("no-cache", root.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.OK, deepLink.StatusCode);
        Assert.Equal(html, await deepLink.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknownApi.StatusCode);
        Assert.Equal("RESOURCE_NOT_FOUND", JsonNode.Parse(await unknownApi.Content.ReadAsStringAsync())!["error_code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missingAsset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_IsTheContractsDocument_WithExamplesOnEveryOperation_AndNoInternals()
    {
        using var http = new HttpClient { BaseAddress = system.BaseAddress };

        var document = JsonNode.Parse(await http.GetStringAsync("/api/openapi/v1.json"))!;

        Assert.Equal("猫头鹰工厂 API", document["info"]!["title"]!.GetValue<string>());
        Assert.Equal("0.10.0", document["info"]!["version"]!.GetValue<string>());
        Assert.Contains("Idempotency-Key", document["info"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>());
        var tags = document["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["认证", "用户管理", "任务管理", "GPU监控", "充值管理", "系统管理", "日志管理"], tags.Take(7));
        var paths = document["paths"]!.AsObject();
        Assert.DoesNotContain(paths, p => !p.Key.StartsWith("/api/", StringComparison.Ordinal) || p.Key.StartsWith("/api/dashboard", StringComparison.Ordinal));
        var operations = paths.SelectMany(p => p.Value!.AsObject().Select(o => (Key: $"{o.Key.ToUpperInvariant()} {p.Key}", Operation: o.Value!))).ToList();
        Assert.True(operations.Count >= 45, $"{operations.Count} operations");
        foreach (var (key, operation) in operations)
        {
            Assert.Contains(operation["tags"]![0]!.GetValue<string>(), tags);
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                var examples = response!["content"]!.AsObject().Where(c => c.Value!["example"] is not null || c.Value!["examples"] is not null);
                Assert.True(examples.Any(), $"{key} {status} has no example");
            }

            if (operation["requestBody"] is { } body)
            {
                Assert.True(body["content"]!["application/json"]!["example"] is not null, $"{key} has no request example");
            }
        }

        var me = operations.Single(o => o.Key == "GET /api/users/me").Operation;
        Assert.Equal("获取当前用户信息", me["summary"]!.GetValue<string>());
        Assert.NotNull(me["security"]);
        Assert.Equal("INVALID_CREDENTIALS", me["responses"]!["401"]!["content"]!["application/json"]!["examples"]!.AsObject().First().Value!["value"]!["error_code"]!.GetValue<string>());
        Assert.Null(operations.Single(o => o.Key == "POST /api/auth/login").Operation["security"]);
    }

    [GeneratedRegex("/assets/[^\"]+\\.js")]
    private static partial Regex AssetPattern();
}
