using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OwlFactory.LoadTest.Drills;

/// <summary>
/// The drills' mixed load, from fresh funded accounts: each account loops over <c>GET /api/users/me</c>,
/// <c>POST /api/tasks</c> (a type no agent runs, so it stays queued) and <c>POST /api/recharge/redeem</c> of a code of
/// its own; a feeder submits short <c>test</c> tasks that agents run (when <see cref="AgentTasksPerSecond"/> &gt; 0).
/// Every request is recorded with its times and answer; every acknowledged write is kept for the invariants.
/// </summary>
public sealed class DrillLoad(Uri baseAddress)
{
    /// <summary>What each single-use code credits.</summary>
    public const decimal CodeAmount = 1.25m;

    private readonly OwlApi _api = new(baseAddress);
    private readonly ConcurrentQueue<string> _codes = new();
    private readonly ConcurrentBag<DrillRequest> _requests = [];
    private readonly ConcurrentBag<Guid> _tasks = [];
    private readonly ConcurrentBag<Guid> _agentTasks = [];
    private readonly ConcurrentBag<Guid> _redemptions = [];
    private readonly Stopwatch _clock = new();
    private HttpClient[] _users = [];

    public Guid[] Users { get; private set; } = [];

    /// <summary>Agent-run tasks submitted per second (0: none), each running <see cref="AgentTaskSeconds"/>.</summary>
    public double AgentTasksPerSecond { get; init; }

    public int AgentTaskSeconds { get; init; } = 2;

    /// <summary>Time since the load began, the clock every <see cref="DrillRequest"/> is on.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyCollection<DrillRequest> Requests => _requests;

    public IReadOnlyCollection<Guid> AcknowledgedTasks => _tasks;

    public IReadOnlyCollection<Guid> AcknowledgedAgentTasks => _agentTasks;

    public IReadOnlyCollection<Guid> AcknowledgedRedemptions => _redemptions;

    /// <summary>A client signed in as the Development admin (admin@example.com), with its own forwarded address.</summary>
    public Task<HttpClient> AdminClientAsync() => _api.AdminClientAsync("admin@example.com", "admin123");

    /// <summary>
    /// Registers and funds <paramref name="users"/> accounts and issues <paramref name="codes"/> single-use codes; lifts
    /// max_concurrent_tasks_per_user to its maximum (1000), so no submit is refused for the limit.
    /// </summary>
    public async Task PrepareAsync(HttpClient admin, int users, int codes)
    {
        (await admin.PutAsJsonAsync("/api/admin/config", new { max_concurrent_tasks_per_user = 1000 })).EnsureSuccessStatusCode();
        _users = await Task.WhenAll(Enumerable.Range(0, users).Select(_ => _api.NewUserClientAsync()));
        Users = await Task.WhenAll(_users.Select(async u => Guid.Parse((await u.GetFromJsonAsync<JsonNode>("/api/users/me"))!["data"]!["id"]!.GetValue<string>())));
        var starters = await IssueCodesAsync(admin, users, 1000m);
        for (var i = 0; i < users; i++)
        {
            (await _users[i].PostAsJsonAsync("/api/recharge/redeem", new { code = starters[i] })).EnsureSuccessStatusCode();
        }

        foreach (var code in await IssueCodesAsync(admin, codes, CodeAmount))
        {
            _codes.Enqueue(code);
        }
    }

    /// <summary>Runs the load until <paramref name="stop"/> fires; requests in flight then finish.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        _clock.Start();
        var loops = _users.Select((user, n) => Task.Run(() => UserLoopAsync(user, n, stop), CancellationToken.None)).ToList();
        if (AgentTasksPerSecond > 0)
        {
            loops.Add(Task.Run(() => FeederAsync(stop), CancellationToken.None));
        }

        await Task.WhenAll(loops);
    }

    /// <summary>
    /// Runs the load for <paramref name="before"/>, then <paramref name="fault"/> while the load goes on, then for
    /// <paramref name="after"/> more; answers when the fault began and ended on the load's clock.
    /// </summary>
    public async Task<(TimeSpan Start, TimeSpan End)> RunAroundFaultAsync(TimeSpan before, Func<Task> fault, TimeSpan after)
    {
        using var stop = new CancellationTokenSource();
        var running = RunAsync(stop.Token);
        try
        {
            await Task.Delay(before);
            var start = Now;
            await fault();
            var end = Now;
            await Task.Delay(after);
            return (start, end);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    private async Task UserLoopAsync(HttpClient user, int n, CancellationToken stop)
    {
        for (var step = n; !stop.IsCancellationRequested; step++)
        {
            switch (step % 3)
            {
                case 0:
                    await SendAsync("read", HttpStatusCode.OK, () => user.GetAsync("/api/users/me"), null);
                    break;
                case 1:
                    await SendAsync("submit", HttpStatusCode.Created,
                        () => user.PostAsJsonAsync("/api/tasks", new { title = "drill", task_type = "data_processing", priority = 3 }),
                        data => _tasks.Add(Guid.Parse(data["id"]!.GetValue<string>())));
                    break;
                default:
                    if (_codes.TryDequeue(out var code))
                    {
                        await SendAsync("redeem", HttpStatusCode.OK, () => user.PostAsJsonAsync("/api/recharge/redeem", new { code }),
                            data => _redemptions.Add(Guid.Parse(data["recharge_record_id"]!.GetValue<string>())));
                    }

                    break;
            }
        }
    }

    private async Task FeederAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / AgentTasksPerSecond));
        var sent = new List<Task>();
        var n = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var user = _users[n++ % _users.Length];
                // Not awaited here: a slow answer (a fault) must not slow the feed.
                sent.Add(SendAsync("submit", HttpStatusCode.Created,
                    () => user.PostAsJsonAsync("/api/tasks", new { title = "drill run", task_type = "test", priority = 5, config = new { duration_seconds = AgentTaskSeconds } }),
                    data =>
                    {
                        var id = Guid.Parse(data["id"]!.GetValue<string>());
                        _tasks.Add(id);
                        _agentTasks.Add(id);
                    }));
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }

        await Task.WhenAll(sent);
    }

    private async Task SendAsync(string operation, HttpStatusCode expected, Func<Task<HttpResponseMessage>> send, Action<JsonNode>? acknowledged)
    {
        var started = _clock.Elapsed;
        var status = 0;
        string? detail = null;
        try
        {
            using var response = await send();
            status = (int)response.StatusCode;
            var body = await ReadJsonAsync(response);
            if (response.StatusCode == expected && body?["data"] is { } data)
            {
                acknowledged?.Invoke(data);
            }
            else
            {
                detail = body is null ? "not an envelope" : body["error_code"]?.GetValue<string>();
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // No answer (connection refused or cut, a timeout): a failure the client saw.
            status = 0;
            detail = e.GetType().Name + (e is HttpRequestException h ? " " + h.HttpRequestError : "");
        }

        _requests.Add(new DrillRequest(operation, started, _clock.Elapsed, status, detail));
    }

    /// <summary>The answer's JSON envelope, or null when it is not one (a proxy's own error page).</summary>
    private static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonNode>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static async Task<List<string>> IssueCodesAsync(HttpClient admin, int count, decimal amount)
    {
        var codes = new List<string>();
        while (codes.Count < count)
        {
            var response = await admin.PostAsJsonAsync("/api/recharge/codes", new { amount, batch_size = Math.Min(1000, count - codes.Count), description = "drill" });
            response.EnsureSuccessStatusCode();
            codes.AddRange((await response.Content.ReadFromJsonAsync<JsonNode>())!["data"]!["codes"]!.AsArray().Select(c => c!["code"]!.GetValue<string>()));
        }

        return codes;
    }
}
