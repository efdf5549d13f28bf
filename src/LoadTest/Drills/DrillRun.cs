using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace OwlFactory.LoadTest.Drills;

/// <summary>
/// <c>./owl drill NAME</c>'s load side: the mixed load for a bounded time, the fault (a shell command that
/// <c>./owl</c> gives, run at <see cref="DrillOptions.FaultAt"/>), then the invariants and the fault's own targets,
/// each printed PASS or FAIL. The targets are issue 12's; docs/reliability.md lists them with measured figures.
/// </summary>
internal sealed class DrillRun(DrillOptions options, OwlApi api)
{
    /// <summary>The live heartbeat timeout during a drill, so agent faults play out in seconds.</summary>
    private const int HeartbeatTimeoutSeconds = 15;

    /// <summary>How often a server grain checks for silence: half the heartbeat interval (5 s under <c>./owl run</c>).</summary>
    private const double LivenessCheckSeconds = 2.5;

    private static readonly TimeSpan AfterFaultWindow = TimeSpan.FromSeconds(15);

    private readonly List<(string Target, bool Pass, string Measured)> _results = [];

    private static CultureInfo C => CultureInfo.InvariantCulture;

    public async Task<int> RunAsync()
    {
        var admin = await api.AdminClientAsync("admin@example.com", "admin123");
        var configBefore = (await admin.GetFromJsonAsync<JsonNode>("/api/admin/config"))!["data"]!;
        var prices = configBefore["task_prices"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<decimal>());
        // Agent runs are billed in a drill (test tasks are free otherwise), so a lost run billed would show.
        prices["test"] = 0.60m;
        (await admin.PutAsJsonAsync("/api/admin/config", new
        {
            heartbeat_timeout_seconds = HeartbeatTimeoutSeconds,
            task_prices = prices,
        })).EnsureSuccessStatusCode();
        try
        {
            return await RunLoadAndFaultAsync(admin);
        }
        finally
        {
            (await admin.PutAsJsonAsync("/api/admin/config", new
            {
                max_concurrent_tasks_per_user = configBefore["max_concurrent_tasks_per_user"]!.GetValue<int>(),
                heartbeat_timeout_seconds = configBefore["heartbeat_timeout_seconds"]!.GetValue<int>(),
                task_prices = configBefore["task_prices"],
            })).EnsureSuccessStatusCode();
        }
    }

    private async Task<int> RunLoadAndFaultAsync(HttpClient admin)
    {
        var serverItems = await OnlineAgentsAsync(admin, options.Server);
        var load = new DrillLoad(options.Url) { AgentTasksPerSecond = serverItems.Count > 0 ? 2 : 0 };
        Console.WriteLine(string.Create(C, $"drill {options.Name}: {options.Users} accounts, {serverItems.Count} agents online, {options.Duration.TotalSeconds:0} s of load, the fault at {options.FaultAt.TotalSeconds:0} s"));
        await load.PrepareAsync(admin, options.Users, (int)(options.Duration.TotalSeconds * 100));
        await using var db = NpgsqlDataSource.Create(options.Connection);

        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        await Task.Delay(options.FaultAt);

        Guid? server = options.Server is { } name ? (serverItems.TryGetValue(name, out var id) ? id : throw new InvalidOperationException($"{name} is not online")) : null;
        if (server is { } busy)
        {
            // Mid-task: wait (up to 10 s) until the agent runs something.
            await TasksOnAsync(db, busy, "running", waitForOne: true);
        }

        var faultStart = load.Now;
        var watch = server is { } watched ? WatchOfflineAsync(admin, watched, load, stop.Token) : Task.FromResult<TimeSpan?>(null);
        await RunFaultAsync();
        var faultEnd = load.Now;
        Guid[] lostTasks = [];
        if (server is { } killed && options.Name == "agent-kill")
        {
            // What the dead agent still holds once the reports it sent before it died have landed: those runs are lost.
            await Task.Delay(TimeSpan.FromSeconds(1));
            lostTasks = await TasksOnAsync(db, killed, "pending', 'running", waitForOne: false);
        }

        Console.WriteLine(string.Create(C, $"fault from {faultStart.TotalSeconds:0.0} s to {faultEnd.TotalSeconds:0.0} s"));
        var rest = options.Duration - load.Now;
        await Task.Delay(rest > TimeSpan.FromSeconds(5) ? rest : TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await running;
        var offlineAt = await watch;

        var agentTasks = load.AcknowledgedAgentTasks.ToArray();
        await WaitForAgentTasksAsync(db, agentTasks);
        Report(load, faultStart, faultEnd);
        var settling = Stopwatch.StartNew();
        if (await DrillInvariants.WaitForSettlementAsync(db, load.Users, TimeSpan.FromSeconds(120)) is > 0 and var interrupted)
        {
            Console.WriteLine(string.Create(C, $"{interrupted} redemption(s) whose credit the fault interrupted: settled by the platform's sweep {settling.Elapsed.TotalSeconds:0} s later"));
        }

        var failed = load.Requests.Count(r => r.Failed);
        var broken = await DrillInvariants.CheckAsync(db, load.Users, load.AcknowledgedTasks, load.AcknowledgedRedemptions, failed == 0, agentTasks);
        Target("invariants (ledger, money, acknowledged writes, codes, tasks)", broken.Count == 0, broken.Count == 0 ? "all hold" : string.Join("; ", broken));
        await FaultTargetsAsync(db, load, faultStart, faultEnd, server, lostTasks, offlineAt, agentTasks);

        foreach (var (target, pass, measured) in _results)
        {
            Console.WriteLine($"{(pass ? "PASS" : "FAIL")}  {target}: {measured}");
        }

        var ok = _results.All(r => r.Pass);
        Console.WriteLine(ok ? $"drill {options.Name}: PASS" : $"drill {options.Name}: FAIL");
        return ok ? 0 : 1;
    }

    private async Task FaultTargetsAsync(NpgsqlDataSource db, DrillLoad load, TimeSpan faultStart, TimeSpan faultEnd, Guid? server,
        Guid[] lostTasks, TimeSpan? offlineAt, Guid[] agentTasks)
    {
        var requests = load.Requests;
        var failed = requests.Where(r => r.Failed).ToList();
        var total = requests.Count;
        switch (options.Name)
        {
            case "silo-kill":
                Target("at most 1% of requests fail", failed.Count <= total / 100.0, string.Create(C, $"{failed.Count} of {total} ({100.0 * failed.Count / total:0.00}%)"));
                var p99 = P99AfterFault(requests, faultStart);
                Target("p99 of requests answered in the 15 s after the kill <= 5 s", p99 <= TimeSpan.FromSeconds(5), $"{p99.TotalMilliseconds:0} ms");
                break;
            case "pg-restart":
                var notUnavailable = failed.Where(r => r.Status != 503).ToList();
                Target("only 503s while PostgreSQL is down", notUnavailable.Count == 0,
                    notUnavailable.Count == 0 ? $"{failed.Count} failed, all 503" : string.Join(", ", notUnavailable.Take(5).Select(Describe)));
                var slowest = requests.Max(r => r.Took);
                Target("no hang (every request answered within 10 s)", slowest <= TimeSpan.FromSeconds(10), $"slowest {slowest.TotalMilliseconds:0} ms");
                var lastFailure = failed.Count == 0 ? faultEnd : failed.Max(r => r.Started);
                var back = lastFailure - faultEnd;
                Target("full service <= 2 s after PostgreSQL is back", back <= TimeSpan.FromSeconds(2),
                    string.Create(C, $"last failed request sent {back.TotalSeconds:0.0} s after it was back"));
                break;
            case "agent-kill":
                // The timeout runs from the last heartbeat (before the kill); the server grain checks every half heartbeat interval.
                Target($"server offline within its heartbeat timeout ({HeartbeatTimeoutSeconds} s) and one liveness check ({LivenessCheckSeconds} s) after the kill",
                    offlineAt is { } o && o - faultStart <= TimeSpan.FromSeconds(HeartbeatTimeoutSeconds + LivenessCheckSeconds),
                    offlineAt is { } off ? string.Create(C, $"offline {(off - faultStart).TotalSeconds:0.0} s after the kill") : "never offline");
                await LostTasksAsync(db, server!.Value, lostTasks, agentTasks);
                break;
            case "agent-blip":
                Target("the server never went offline", offlineAt is null, offlineAt is { } seen ? string.Create(C, $"offline at {seen.TotalSeconds:0.0} s") : "stayed online");
                var requeued = await CountAsync(db, "SELECT count(*) FROM tasks WHERE id = ANY($1) AND lost_runs > 0", agentTasks);
                Target("nothing requeued", requeued == 0, $"{requeued} of {agentTasks.Length} agent tasks requeued");
                break;
            default:
                Target("no failed request", failed.Count == 0, $"{failed.Count} of {total}");
                break;
        }
    }

    private async Task LostTasksAsync(NpgsqlDataSource db, Guid server, Guid[] lostTasks, Guid[] agentTasks)
    {
        if (lostTasks.Length == 0)
        {
            Target("the killed agent was running a task", false, "it ran none when it was killed");
            return;
        }

        var requeued = await CountAsync(db, "SELECT count(*) FROM tasks WHERE id = ANY($1) AND lost_runs > 0", lostTasks);
        Target("its tasks were requeued", requeued == lostTasks.Length, $"{requeued} of {lostTasks.Length}");
        await using (var command = db.CreateCommand("SELECT count(*) FROM tasks WHERE id = ANY($1) AND status = 'completed' AND gpu_server_id <> $2"))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = lostTasks });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = server });
            var elsewhere = Convert.ToInt64(await command.ExecuteScalarAsync(), C);
            Target("and ran to completion on another server", elsewhere == lostTasks.Length, $"{elsewhere} of {lostTasks.Length}");
        }

        // Billed like one run: no lost task is charged more than the dearest task that never lost a run.
        await using (var command = db.CreateCommand(
            """
            SELECT (SELECT coalesce(max(-l.amount), 0) FROM ledger_entries l WHERE l.kind = 'charge' AND l.reference_id = ANY($1)),
                   (SELECT coalesce(max(-l.amount), 0) FROM ledger_entries l JOIN tasks t ON t.id = l.reference_id
                    WHERE l.kind = 'charge' AND t.id = ANY($2) AND t.lost_runs = 0)
            """))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = lostTasks });
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = agentTasks });
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (lost, normal) = (reader.GetDecimal(0), reader.GetDecimal(1));
            Target("the lost run is not billed", lost <= normal, string.Create(C, $"a requeued task charged at most {lost:0.00}, a task run once up to {normal:0.00}"));
        }
    }

    private static void Report(DrillLoad load, TimeSpan faultStart, TimeSpan faultEnd)
    {
        var requests = load.Requests;
        var failed = requests.Where(r => r.Failed).ToList();
        Console.WriteLine(string.Create(C, $"requests: {requests.Count} ({string.Join(", ", requests.GroupBy(r => r.Operation).Select(g => $"{g.Key} {g.Count()}"))}); agent tasks {load.AcknowledgedAgentTasks.Count}"));
        Console.WriteLine($"failed: {failed.Count}" + (failed.Count == 0 ? "" : " — " + string.Join(", ", failed.GroupBy(r => r.Status == 0 ? r.Detail : r.Status.ToString(C)).Select(g => $"{g.Key}: {g.Count()}"))));
        if (failed.Count > 0)
        {
            Console.WriteLine(string.Create(C, $"  failures between {failed.Min(r => r.Started).TotalSeconds:0.0} s and {failed.Max(r => r.Ended).TotalSeconds:0.0} s; first: {string.Join("; ", failed.OrderBy(r => r.Started).Take(5).Select(Describe))}"));
        }

        Console.WriteLine(string.Create(C, $"p99 of the requests answered in the 15 s after the fault: {P99AfterFault(requests, faultStart).TotalMilliseconds:0} ms; slowest overall {requests.Max(r => r.Took).TotalMilliseconds:0} ms; fault took {(faultEnd - faultStart).TotalSeconds:0.0} s"));
    }

    private static TimeSpan P99AfterFault(IReadOnlyCollection<DrillRequest> requests, TimeSpan faultStart)
    {
        var times = requests.Where(r => r.Ended >= faultStart && r.Ended <= faultStart + AfterFaultWindow).Select(r => r.Took).Order().ToList();
        return times.Count == 0 ? TimeSpan.Zero : times[(int)Math.Ceiling(times.Count * 0.99) - 1];
    }

    private static string Describe(DrillRequest r)
        => string.Create(C, $"{r.Operation} at {r.Started.TotalSeconds:0.0} s: {(r.Status == 0 ? "no answer" : r.Status.ToString(C))} {r.Detail} after {r.Took.TotalMilliseconds:0} ms");

    private void Target(string target, bool pass, string measured) => _results.Add((target, pass, measured));

    private async Task RunFaultAsync()
    {
        var info = new ProcessStartInfo("/bin/bash", ["-c", options.Fault]) { UseShellExecute = false };
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            Target("the fault was injected", false, $"`{options.Fault}` exited {process.ExitCode}");
        }
    }

    /// <summary>
    /// The simulated agents (<c>sim-gpu-NN</c>, as <c>./owl run --agents</c> registers them) that beat, waiting up to 30 s
    /// for those just started (and for <paramref name="target"/>, the one the fault hits); none when there are no such servers.
    /// </summary>
    private static async Task<Dictionary<string, Guid>> OnlineAgentsAsync(HttpClient admin, string? target)
    {
        for (var attempt = 0; ; attempt++)
        {
            var data = (await admin.GetFromJsonAsync<JsonNode>("/api/gpu/servers?page_size=100"))!["data"]!;
            var servers = (data is JsonArray list ? list : data["items"]!.AsArray())
                .Where(s => s!["name"]!.GetValue<string>().StartsWith("sim-gpu-", StringComparison.Ordinal)).ToList();
            var online = servers.Where(s => s!["status"]!.GetValue<string>() != "offline")
                .ToDictionary(s => s!["name"]!.GetValue<string>(), s => Guid.Parse(s!["id"]!.GetValue<string>()));
            if (servers.Count == 0 || (online.Count >= Math.Min(2, servers.Count) && (target is null || online.ContainsKey(target))) || attempt == 60)
            {
                return online;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>The tasks a server holds in the given statuses; with <paramref name="waitForOne"/>, waits up to 10 s for one.</summary>
    private static async Task<Guid[]> TasksOnAsync(NpgsqlDataSource db, Guid server, string statuses, bool waitForOne)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var command = db.CreateCommand($"SELECT id FROM tasks WHERE gpu_server_id = $1 AND status IN ('{statuses}')");
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = server });
            var ids = new List<Guid>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ids.Add(reader.GetGuid(0));
                }
            }

            if (ids.Count > 0 || !waitForOne || attempt == 40)
            {
                return [.. ids];
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Polls the server's status through the API until the load ends; the first time it was seen offline.</summary>
    private static async Task<TimeSpan?> WatchOfflineAsync(HttpClient admin, Guid server, DrillLoad load, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var status = (await admin.GetFromJsonAsync<JsonNode>($"/api/gpu/servers/{server}/status", stop))!["data"]!["status"]!.GetValue<string>();
                if (status == "offline")
                {
                    return load.Now;
                }

                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (HttpRequestException)
            {
                // An answer lost to the fault itself; look again.
            }
        }

        return null;
    }

    /// <summary>Waits (up to 90 s) until every agent task has finished, so "no task lost" can be checked.</summary>
    private static async Task WaitForAgentTasksAsync(NpgsqlDataSource db, Guid[] tasks)
    {
        for (var i = 0; i < 180 && await CountAsync(db, "SELECT count(*) FROM tasks WHERE id = ANY($1) AND status IN ('pending', 'running')", tasks) > 0; i++)
        {
            await Task.Delay(500);
        }
    }

    private static async Task<long> CountAsync(NpgsqlDataSource db, string sql, Guid[] ids)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        return Convert.ToInt64(await command.ExecuteScalarAsync(), C);
    }
}

internal sealed record DrillOptions(string Name, Uri Url, TimeSpan Duration, TimeSpan FaultAt, string Fault, string Connection, string? Server, int Users)
{
    public static DrillOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        return new DrillOptions(
            Value("--name") ?? throw new ArgumentException("--name is required"),
            new Uri(Value("--url") ?? "http://127.0.0.1:8000"),
            TimeSpan.FromSeconds(double.Parse(Value("--seconds") ?? "60", CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(Value("--fault-at") ?? "20", CultureInfo.InvariantCulture)),
            Value("--fault") ?? throw new ArgumentException("--fault is required"),
            Value("--connection") ?? throw new ArgumentException("--connection is required"),
            Value("--server"),
            int.Parse(Value("--users") ?? "12", CultureInfo.InvariantCulture));
    }
}
