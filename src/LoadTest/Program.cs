using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OwlFactory.LoadTest;
using OwlFactory.LoadTest.Drills;

// Owl Factory's load tool. Sends traffic only to the URL given (default http://127.0.0.1:8000), for a bounded time.
//   dotnet run -c Release --project src/LoadTest -- users-me [--clients 64] [--seconds 10] [--url URL]
//   dotnet run -c Release --project src/LoadTest -- redeem   [--clients 64] [--seconds 10] [--codes 20000]
//   dotnet run -c Release --project src/LoadTest -- heartbeats [--clients 64] [--seconds 10]   (64 simulated agents)
//   dotnet run -c Release --project src/LoadTest -- status-delay   (heartbeat -> /status visibility, 50 probes)
//   dotnet run -c Release --project src/LoadTest -- submit [--clients 64] [--seconds 10]   (POST /api/tasks)
//   dotnet run -c Release --project src/LoadTest -- tasks [--clients 64] [--servers 16] [--seconds 10] [--backlog 4×slots]
//       producers keep the queue full (at most --backlog tasks submitted and not completed) while simulated agents run
//       every task at once: tasks/s and dispatch latency
//   dotnet run -c Release --project src/LoadTest -- register-servers --count N [--prefix sim-gpu-]
//       prints "name token" per server, creating each server or rotating its token when it exists
//   dotnet run -c Release --project src/LoadTest -- drill --name NAME --fault CMD --connection CS [--seconds 60] [--fault-at 20]
//       [--server sim-gpu-01] [--users 12]   the mixed load, the fault, the invariants (what ./owl drill runs)
var options = Options.Parse(args);
var api = new OwlApi(options.Url);
if (!options.Url.IsLoopback)
{
    Console.Error.WriteLine("refusing to load a non-loopback address");
    return 2;
}

switch (options.Scenario)
{
    case "users-me":
        await UsersMeAsync();
        break;
    case "redeem":
        await RedeemAsync();
        break;
    case "heartbeats":
        await HeartbeatsAsync();
        break;
    case "status-delay":
        await StatusDelayAsync();
        break;
    case "submit":
        await new TaskScenarios(api, await api.AdminClientAsync(options.AdminEmail, options.AdminPassword)).SubmitAsync(options.Clients, options.Duration);
        break;
    case "tasks":
        await new TaskScenarios(api, await api.AdminClientAsync(options.AdminEmail, options.AdminPassword))
            .RunEndToEndAsync(options.Clients, options.Servers, options.Backlog ?? options.Servers * 2 * 4, options.Duration, RegisterServersAsync);
        break;
    case "drill":
        return await new DrillRun(DrillOptions.Parse(args), api).RunAsync();
    case "register-servers":
        foreach (var (name, token) in await RegisterServersAsync(options.Count, options.Prefix))
        {
            Console.WriteLine($"{name} {token}");
        }

        break;
    default:
        Console.Error.WriteLine("scenarios: users-me, redeem, heartbeats, status-delay, submit, tasks, register-servers, drill");
        return 2;
}

return 0;

async Task UsersMeAsync()
{
    var clients = await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => api.NewUserClientAsync()));
    await new LoadRun("warm-up", options.Clients, TimeSpan.FromSeconds(3)).RunAsync(Get);
    (await new LoadRun("GET /api/users/me", options.Clients, options.Duration).RunAsync(Get)).Print();

    async Task<string?> Get(int worker, CancellationToken ct)
    {
        using var response = await clients[worker].GetAsync("/api/users/me", ct);
        return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
    }
}

async Task RedeemAsync()
{
    var admin = await api.AdminClientAsync(options.AdminEmail, options.AdminPassword);
    var clients = await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => api.NewUserClientAsync()));

    var codes = new List<string>();
    var batchTimes = new List<double>();
    while (codes.Count < options.Codes)
    {
        var watch = Stopwatch.StartNew();
        var response = await admin.PostAsJsonAsync("/api/recharge/codes", new { amount = 1.00, batch_size = 1000, description = "load test" });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonNode>();
        batchTimes.Add(watch.Elapsed.TotalMilliseconds);
        codes.AddRange(body!["data"]!["codes"]!.AsArray().Select(c => c!["code"]!.GetValue<string>()));
    }

    batchTimes.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"generate 1000 codes: {batchTimes.Count} batches, median {batchTimes[batchTimes.Count / 2]:0} ms, min {batchTimes[0]:0} ms, max {batchTimes[^1]:0} ms"));

    var next = -1;
    (await new LoadRun("POST /api/recharge/redeem (distinct codes)", options.Clients, options.Duration).RunAsync(async (worker, ct) =>
    {
        var i = Interlocked.Increment(ref next);
        if (i >= codes.Count)
        {
            return null;
        }

        using var response = await clients[worker].PostAsJsonAsync("/api/recharge/redeem", new { code = codes[i] }, ct);
        return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
    })).Print();
}

async Task<List<(string Name, string Token)>> RegisterServersAsync(int count, string prefix)
{
    var admin = await api.AdminClientAsync(options.AdminEmail, options.AdminPassword);
    var existing = (await admin.GetFromJsonAsync<JsonNode>("/api/gpu/servers"))!["data"]!.AsArray()
        .ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["id"]!.GetValue<string>());
    var result = new List<(string, string)>();
    for (var i = 1; i <= count; i++)
    {
        var name = $"{prefix}{i:00}";
        var response = existing.TryGetValue(name, out var id)
            ? await admin.PostAsync($"/api/gpu/servers/{id}/rotate-token", null)
            : await admin.PostAsJsonAsync("/api/gpu/servers", new { name, host = "127.0.0.1", gpu_count = 2, max_concurrent_tasks = 2, total_memory = 160, description = "simulated" });
        response.EnsureSuccessStatusCode();
        result.Add((name, (await response.Content.ReadFromJsonAsync<JsonNode>())!["data"]!["agent_token"]!.GetValue<string>()));
    }

    return result;
}

async Task HeartbeatsAsync()
{
    var servers = await RegisterServersAsync(options.Clients, $"load-{Guid.NewGuid():N}"[..13] + "-");
    var agents = servers.Select(s =>
    {
        var http = api.NewClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", s.Token);
        return http;
    }).ToArray();
    var beat = new
    {
        agent_version = "load",
        task_types = new[] { "test" },
        cpu_usage = 12.5,
        memory_usage = 40.0,
        gpus = new[] { new { gpu_id = 0, name = "Simulated H100", usage = 50.0, memory_used = 20.0, memory_total = 80.0, temperature = 60 } },
        running_tasks = Array.Empty<object>(),
    };
    (await new LoadRun("POST /api/agent/heartbeat", options.Clients, options.Duration).RunAsync(async (worker, ct) =>
    {
        using var response = await agents[worker].PostAsJsonAsync("/api/agent/heartbeat", beat, ct);
        return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
    })).Print();
}

async Task StatusDelayAsync()
{
    // One agent beats with a new cpu_usage each time; a reader polls /status until it shows that value.
    var (_, token) = (await RegisterServersAsync(1, $"delay-{Guid.NewGuid():N}"[..12] + "-"))[0];
    var agent = api.NewClient();
    agent.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    var reader = await api.AdminClientAsync(options.AdminEmail, options.AdminPassword);
    var serverId = token.Split('_')[1];
    var delays = new List<double>();
    for (var i = 1; i <= 50; i++)
    {
        var cpu = i + 0.5;
        var watch = Stopwatch.StartNew();
        (await agent.PostAsJsonAsync("/api/agent/heartbeat", new { agent_version = "probe", cpu_usage = cpu, memory_usage = 1.0 })).EnsureSuccessStatusCode();
        while ((await reader.GetFromJsonAsync<JsonNode>($"/api/gpu/servers/{Guid.ParseExact(serverId, "N")}/status"))!["data"]!["cpu_usage"]!.GetValue<double>() != cpu)
        {
            await Task.Delay(2);
        }

        delays.Add(watch.Elapsed.TotalMilliseconds);
    }

    delays.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"heartbeat -> /status visible: {delays.Count} probes, p50 {delays[delays.Count / 2]:0.0} ms, p99 {delays[(int)(delays.Count * 0.99)]:0.0} ms, max {delays[^1]:0.0} ms"));
}

internal sealed record Options(string Scenario, Uri Url, int Clients, TimeSpan Duration, int Codes, string AdminEmail, string AdminPassword, int Count, string Prefix, int Servers, int? Backlog)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        return new Options(
            args.Length > 0 ? args[0] : "",
            new Uri(Value("--url", "http://127.0.0.1:8000")),
            int.Parse(Value("--clients", "64"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Value("--seconds", "10"), CultureInfo.InvariantCulture)),
            int.Parse(Value("--codes", "20000"), CultureInfo.InvariantCulture),
            Value("--admin-email", "admin@example.com"),
            Value("--admin-password", "admin123"),
            int.Parse(Value("--count", "1"), CultureInfo.InvariantCulture),
            Value("--prefix", "sim-gpu-"),
            int.Parse(Value("--servers", "16"), CultureInfo.InvariantCulture),
            Value("--backlog", "") is { Length: > 0 } backlog ? int.Parse(backlog, CultureInfo.InvariantCulture) : null);
    }
}
