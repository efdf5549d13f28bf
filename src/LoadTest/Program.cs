using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OwlFactory.LoadTest;

// Owl Factory's load tool. Sends traffic only to the URL given (default http://127.0.0.1:8000), for a bounded time.
//   dotnet run -c Release --project src/LoadTest -- users-me [--clients 64] [--seconds 10] [--url URL]
//   dotnet run -c Release --project src/LoadTest -- redeem   [--clients 64] [--seconds 10] [--codes 20000]
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
    default:
        Console.Error.WriteLine("scenarios: users-me, redeem");
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

internal sealed record Options(string Scenario, Uri Url, int Clients, TimeSpan Duration, int Codes, string AdminEmail, string AdminPassword)
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
            Value("--admin-password", "admin123"));
    }
}
