using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OwlFactory.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OwlFactory.Tests.Http;

/// <summary>
/// Hostile requests for every operation of the OpenAPI document: wrong types, NUL, huge and non-finite numbers, deep
/// and duplicate-key JSON, bad dates, bad ids, broken bodies. Every answer must be below 500 and, when it is an error,
/// the envelope; every request built to be invalid must be refused; nothing the fuzzer sent may change state.
/// Replay a failure with <c>OWL_FUZZ_SEED=&lt;seed&gt;</c>; <c>OWL_FUZZ_PER_OPERATION</c> sets the count (default 200).
/// </summary>
[Collection(FuzzGroup.Name)]
public sealed class FuzzHttpTests(FuzzSystemFixture system, ITestOutputHelper output) : IDisposable
{
    private static readonly string[] HostileStrings =
    [
        "\u0000", "a\u0000b", new string('x', 5000), "💥\u0000",
    ];

    private static readonly string[] AccountFields = ["username", "full_name", "balance", "role", "is_active"];

    private static readonly string[] CountedLists =
        ["/api/tasks?page_size=1", "/api/recharge/codes?page_size=1", "/api/admin/users?page_size=1", "/api/recharge/records?page_size=1"];

    private static readonly string[] HostileIntegers =
    [
        "1e308", "1e400", "\"NaN\"", "\"12\"", "99999999999999999999999", "-2147483649", "2147483648", "1.5", "true", "[1]", "{}",
    ];

    // Every number field of the API has a range well inside these.
    private static readonly string[] HostileNumbers =
    [
        "1e308", "-1e308", "1e400", "-1e400", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"12\"", "-2147483649", "true", "[1]", "{}",
    ];

    private static readonly string[] HostileDates =
    [
        "\"9999-12-31T00:00:00Z\"", "\"0001-01-01T00:00:00Z\"", "\"2026-13-45\"", "\"not a date\"", "\"\\u0000\"", "12345", "\"1969-12-31T23:59:59Z\"",
    ];

    private static readonly string[] HostileIds =
    [
        // Not %00: Kestrel refuses a NUL in the path itself, before the application (docs/security.md, known limits).
        "abc", "1", "-1", "..%2F..%2Fetc", "00000000-0000-0000-0000-000000000000", new string('9', 300), "%F0%9F%92%A5", "null",
    ];

    private static readonly string[] HostileQueryValues =
    [
        "%00", "abc", "-1", "1e400", "NaN", "9999-12-31", "notadate", "99999999999999999999", new string('q', 1500), "true%00",
    ];

    private readonly OwlApiClient _api = system.CreateClient();
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 16 })
    {
        BaseAddress = system.BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public void Dispose()
    {
        _api.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task EveryOperation_HostileRequests_NeverA5xx_AlwaysTheEnvelope_StateUnchanged()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("OWL_FUZZ_SEED"), out var s) ? s : Random.Shared.Next();
        var perOperation = int.TryParse(Environment.GetEnvironmentVariable("OWL_FUZZ_PER_OPERATION"), out var n) ? n : 200;
        output.WriteLine($"fuzz seed {seed} ({perOperation} requests per operation); replay with OWL_FUZZ_SEED={seed}");

        var admin = await _api.LoginAdminAsync();
        var server = await _api.PostAsync("/api/gpu/servers",
            new { name = "fuzz-" + Guid.NewGuid().ToString("N")[..10], host = "127.0.0.1", gpu_count = 1, max_concurrent_tasks = 1, total_memory = 80.0 }, admin);
        var serverId = server.Data["server"]!["id"]!.GetValue<string>();
        var agentToken = server.Data["agent_token"]!.GetValue<string>();
        var document = JsonNode.Parse(await _http.GetStringAsync("/api/openapi/v1.json"))!;
        var before = await SnapshotAsync(admin);

        var operations = Operations(document).ToList();
        Assert.True(operations.Count > 30, $"only {operations.Count} operations in the document");
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(operations.Select((o, i) => (o, i)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, _) =>
        {
            var (operation, index) = item;
            var random = new Random(HashCode.Combine(seed, index));
            var token = operation.Path.StartsWith("/api/agent", StringComparison.Ordinal) ? agentToken : admin;
            for (var i = 0; i < perOperation && failures.Count < 20; i++)
            {
                var hostile = Generate(operation, document, random, serverId);
                var problem = await SendAsync(hostile, token);
                Interlocked.Increment(ref sent);
                if (problem is not null)
                {
                    failures.Enqueue($"{operation.Method} {hostile.Path} body={Shorten(hostile.Body)}: {problem}");
                }
            }
        });

        output.WriteLine($"{sent} requests over {operations.Count} operations in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(failures.IsEmpty, $"seed {seed}:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(20))}");
        var after = await SnapshotAsync(admin);
        Assert.Equal(before, after);
    }

    private sealed record Operation(string Method, string Path, JsonNode Spec);

    private sealed record HostileRequest(string Method, string Path, string? Body, string? ContentType, bool MustRefuse, bool Streams);

    private static IEnumerable<Operation> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, spec) in item!.AsObject())
            {
                if (method is "get" or "post" or "put" or "delete" or "patch" && !path.StartsWith("/api/dashboard", StringComparison.Ordinal))
                {
                    yield return new Operation(method.ToUpperInvariant(), path, spec!);
                }
            }
        }
    }

    private static HostileRequest Generate(Operation operation, JsonNode document, Random random, string serverId)
    {
        var parameters = operation.Spec["parameters"]?.AsArray().Select(p => p!).ToList() ?? [];
        var pathParameters = parameters.Where(p => p["in"]?.GetValue<string>() == "path").ToList();
        var queryParameters = parameters.Where(p => p["in"]?.GetValue<string>() == "query").ToList();
        var bodySchema = operation.Spec["requestBody"]?["content"]?["application/json"]?["schema"];
        var streams = operation.Path.EndsWith("/stream", StringComparison.Ordinal) || operation.Path.EndsWith("/events", StringComparison.Ordinal)
            || operation.Path.StartsWith("/api/logs/tasks", StringComparison.Ordinal);

        // Which part is made hostile: a path id, a query value, or the body.
        var choices = new List<string>();
        if (pathParameters.Count > 0)
        {
            choices.Add("id");
        }

        if (queryParameters.Count > 0)
        {
            choices.Add("query");
        }

        if (bodySchema is not null)
        {
            choices.AddRange(["body", "body", "body"]);
        }

        var part = choices.Count == 0 ? "none" : choices[random.Next(choices.Count)];
        var mustRefuse = part != "none";

        var path = operation.Path;
        foreach (var parameter in pathParameters)
        {
            var name = parameter["name"]!.GetValue<string>();
            var value = part == "id" ? HostileIds[random.Next(HostileIds.Length)] : operation.Path.Contains("/servers/", StringComparison.Ordinal) ? serverId : Guid.NewGuid().ToString();
            path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        // Only a hostile id some route could still accept is allowed to pass (a well-formed unknown id is a 404 anyway).
        var query = new List<string>();
        if (part == "query")
        {
            var parameter = queryParameters[random.Next(queryParameters.Count)];
            var name = parameter["name"]!.GetValue<string>();
            var value = HostileQueryValue(parameter["schema"], random);
            if (value is null)
            {
                mustRefuse = false;
            }
            else
            {
                query.Add($"{name}={value}");
                if (random.Next(4) == 0)
                {
                    query.Add($"{name}={value}");
                }
            }
        }

        if (query.Count > 0)
        {
            path += "?" + string.Join("&", query);
        }

        string? body = null;
        string? contentType = "application/json";
        if (bodySchema is not null)
        {
            var schema = Resolve(bodySchema, document);
            body = part == "body" ? HostileBody(schema, document, random, ref contentType) : BaseObject(schema, document).ToJsonString();
        }

        return new HostileRequest(operation.Method, path, body, contentType, mustRefuse, streams);
    }

    private static string? HostileQueryValue(JsonNode? schema, Random random)
    {
        var type = TypeOf(schema);
        var format = schema?["format"]?.GetValue<string>();
        string[] candidates = type switch
        {
            "integer" => ["abc", "1.5", "-5", "99999999999999999999", "%00", "1e3", "0x10"],
            "number" => ["abc", "NaN", "Infinity", "1e400", "%00"],
            "boolean" => ["maybe", "2", "%00", "yes"],
            "string" when format is "date-time" or "date" => ["notadate", "9999-12-31", "0001-01-01", "2026-13-45", "%00"],
            "string" when format is "uuid" => ["abc", "%00", "123", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"],
            // Longer than any query value may be, short enough for Kestrel's 8 KiB request line (it answers 414 itself).
            "string" => ["%00", "a%00b", new string('q', 1500)],
            _ => [],
        };
        return candidates.Length == 0 ? null : candidates[random.Next(candidates.Length)];
    }

    private static string HostileBody(JsonNode schema, JsonNode document, Random random, ref string? contentType)
    {
        var properties = schema["properties"]?.AsObject().Select(p => (Name: p.Key, Schema: Resolve(p.Value!, document))).ToList() ?? [];
        var baseObject = BaseObject(schema, document);
        switch (random.Next(properties.Count == 0 ? 4 : 12))
        {
            case 0:
                return random.Next(3) switch { 0 => "{\"a\":", 1 => "not json", _ => "" };
            case 1:
                contentType = random.Next(2) == 0 ? "text/plain" : "application/xml";
                return baseObject.ToJsonString();
            case 2:
                return new string('[', 200) + new string(']', 200);
            case 3:
                return random.Next(2) == 0 ? "[]" : "\"a string\"";
        }

        var (name, propertySchema) = properties[random.Next(properties.Count)];
        var text = baseObject.ToJsonString();
        var inner = text.Length > 2 ? text[1..^1] : "";
        var separator = inner.Length > 0 ? "," : "";
        switch (random.Next(5))
        {
            case 0:
                // The same key twice.
                var value = baseObject[name]?.ToJsonString() ?? "1";
                return $"{{{inner}{separator}\"{name}\":{value},\"{name}\":{value}}}";
            case 1:
                // Nested far deeper than any body needs.
                baseObject.Remove(name);
                return $"{{\"{name}\":{new string('[', 70)}1{new string(']', 70)}{(baseObject.Count > 0 ? "," + baseObject.ToJsonString()[1..^1] : "")}}}";
        }

        baseObject.Remove(name);
        var rest = baseObject.ToJsonString()[1..^1];
        var hostile = HostileValue(propertySchema, random);
        return $"{{\"{name}\":{hostile}{(rest.Length > 0 ? "," + rest : "")}}}";
    }

    private static string HostileValue(JsonNode schema, Random random)
    {
        var type = TypeOf(schema);
        var format = schema["format"]?.GetValue<string>();
        return type switch
        {
            "integer" => HostileIntegers[random.Next(HostileIntegers.Length)],
            "number" => HostileNumbers[random.Next(HostileNumbers.Length)],
            "string" when format is "date-time" => HostileDates[random.Next(HostileDates.Length)],
            "string" when format is "uuid" => random.Next(2) == 0 ? "\"not-a-uuid\"" : "42",
            // A lone surrogate is written as its escape: a serializer would replace it with U+FFFD, which is valid text.
            "string" => random.Next(4) switch { 0 => "123", 1 => "\"a\\ud800b\"", _ => JsonSerializer.Serialize(HostileStrings[random.Next(HostileStrings.Length)]) },
            "boolean" => random.Next(2) == 0 ? "\"true\"" : "1",
            "array" => random.Next(2) == 0 ? "[null]" : "\"not an array\"",
            _ => random.Next(3) switch { 0 => "{\"k\":\"\\u0000\"}", 1 => "{\"k\":1,\"k\":2}", _ => "\"not an object\"" },
        };
    }

    /// <summary>An object with every required field set to a plausible value, and nothing else.</summary>
    private static JsonObject BaseObject(JsonNode schema, JsonNode document)
    {
        var result = new JsonObject();
        var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            if (!required.Contains(name))
            {
                continue;
            }

            var resolved = Resolve(property!, document);
            result[name] = TypeOf(resolved) switch
            {
                "integer" => 1,
                "number" => 1.0,
                "boolean" => false,
                "array" => new JsonArray(),
                "object" => new JsonObject(),
                _ => name.Contains("email", StringComparison.Ordinal) ? "fuzz@example.test" : "fuzz_value",
            };
        }

        return result;
    }

    private static JsonNode Resolve(JsonNode schema, JsonNode document)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            return Resolve(document["components"]!["schemas"]![reference.Split('/')[^1]]!, document);
        }

        // oneOf/anyOf: [null, X] wrappers of nullable references.
        var alternatives = schema["oneOf"] ?? schema["anyOf"];
        if (alternatives is JsonArray array && array.FirstOrDefault(a => a?["type"]?.ToString() != "null") is { } first)
        {
            return Resolve(first, document);
        }

        return schema;
    }

    private static string? TypeOf(JsonNode? schema)
    {
        var type = schema?["type"];
        return type switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
            JsonValue value => value.GetValue<string>(),
            _ when schema?["properties"] is not null => "object",
            _ when schema?["maxLength"] is not null || schema?["minLength"] is not null || schema?["pattern"] is not null => "string",
            _ => null,
        };
    }

    private async Task<string?> SendAsync(HostileRequest hostile, string token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(hostile.Method), hostile.Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Forwarded-For", _api.ClientAddress);
        if (hostile.Body is not null)
        {
            request.Content = new StringContent(hostile.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = hostile.ContentType is null ? null : new MediaTypeHeaderValue(hostile.ContentType) { CharSet = "utf-8" };
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException e)
        {
            return "no answer: " + e.Message;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                return $"{status} {Shorten(await response.Content.ReadAsStringAsync())}";
            }

            if (response.Content.Headers.ContentType?.MediaType is "text/event-stream" or "application/x-ndjson")
            {
                return hostile.MustRefuse ? $"{status}: a hostile request opened a stream" : null;
            }

            if (status < 400)
            {
                return hostile.MustRefuse ? $"{status}: hostile input was accepted" : null;
            }

            var text = await response.Content.ReadAsStringAsync();
            try
            {
                var envelope = JsonNode.Parse(text)!;
                return envelope["success"]?.GetValue<bool>() == false && envelope["error_code"]?.GetValue<string>() is { Length: > 0 }
                    && envelope["details"] is JsonObject
                    ? null
                    : $"{status} without the envelope: {Shorten(text)}";
            }
            catch (JsonException)
            {
                return $"{status} not JSON: {Shorten(text)}";
            }
        }
    }

    /// <summary>What refused requests must not change: the admin's account, the live config, the servers, and list totals.</summary>
    private async Task<string> SnapshotAsync(string admin)
    {
        var me = (await _api.GetAsync("/api/users/me", admin)).Data;
        var parts = new List<string>
        {
            string.Join("|", AccountFields.Select(k => me[k]?.ToJsonString())),
            (await _api.GetAsync("/api/admin/config", admin)).Data.ToJsonString(),
            string.Join(",", (await _api.GetAsync("/api/gpu/servers", admin)).Data.AsArray().Select(s => s!["name"]!.GetValue<string>()).Order()),
        };
        foreach (var path in CountedLists)
        {
            parts.Add($"{path} total {(await _api.GetAsync(path, admin)).Data["total"]}");
        }

        return string.Join(Environment.NewLine, parts);
    }

    private static string Shorten(string? text) => text is null ? "null" : text.Length > 200 ? text[..200] + "…" : text;
}
