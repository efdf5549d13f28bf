using System.Diagnostics;
using System.Net;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

[Collection(RestartGroup.Name)]
public sealed class RestartHttpTests(TwoSiloSystemFixture system) : IDisposable
{
    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Health_TwoSiloProcesses_FormOneCluster()
    {
        var call = await _api.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(2, call.Data["active_silos"]!.GetValue<int>());
    }

    [Fact]
    public async Task Accounts_AfterEveryProcessIsKilledAndRestarted_AreAllThere()
    {
        var user = await _api.CreateUserAsync();
        await _api.PutAsync("/api/users/me", new { full_name = "Survivor" }, user.Token);
        var before = (await _api.GetAsync("/api/users/me", user.Token)).Data.ToJsonString();

        await system.RestartAllAsync();

        // The old token is still valid: nothing revoked it, and the signing key is configuration, not memory.
        var after = await _api.GetAsync("/api/users/me", user.Token);
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal(before, after.Data.ToJsonString());
        Assert.NotNull(await _api.LoginAsync(user.Email, user.Password));
        var duplicate = await _api.PostAsync("/api/auth/register",
            new { email = user.Email, username = "x" + Guid.NewGuid().ToString("N")[..10], password = "password123" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
    }

    [Fact]
    public async Task Requests_WhileNoSiloRuns_Answer503Promptly_AndRecoverWhenSilosReturn()
    {
        var user = await _api.CreateUserAsync();
        system.KillSilos();
        try
        {
            var watch = Stopwatch.StartNew();
            var during = await _api.GetAsync("/api/users/me", user.Token);
            watch.Stop();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Status);
            Assert.Equal("SERVER_UNAVAILABLE", during.ErrorCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
            var health = await _api.GetAsync("/api/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        }
        finally
        {
            system.StartSilos();
            await system.WaitReadyAsync(2);
        }

        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/users/me", user.Token)).Status);
    }

    [Fact]
    public async Task Submits_WhenEverySiloIsKilledUnderLoad_EveryAcknowledgedTaskIsStoredWithItsHold()
    {
        var admin = await _api.LoginAdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await _api.PutAsync("/api/admin/config", new { max_concurrent_tasks_per_user = 1000 }, admin)).Status);
        var users = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _api.CreateUserAsync()));
        foreach (var user in users)
        {
            Assert.Equal(HttpStatusCode.OK, (await _api.PutAsync($"/api/admin/users/{user.Id}", new { balance = 10_000 }, admin)).Status);
        }

        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        using var stop = new CancellationTokenSource();
        var loops = users.Select(user => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var call = await _api.PostAsync("/api/tasks", new { title = "crash", task_type = "data_processing", priority = 3 }, user.Token);
                if (call.Status == HttpStatusCode.Created)
                {
                    acknowledged.Add(Guid.Parse(call.Data["id"]!.GetValue<string>()));
                }
            }
        })).ToList();
        await Task.Delay(1500);
        system.KillSilos();
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        system.StartSilos();
        await system.WaitReadyAsync(2);

        // Answered 201 means committed: every one is there, with its hold in the ledger, and every balance adds up.
        Assert.NotEmpty(acknowledged);
        await using var db = Npgsql.NpgsqlDataSource.Create(system.ConnectionString);
        Assert.Equal(acknowledged.Count, await CountAsync(db, "SELECT count(*) FROM tasks WHERE id = ANY($1)", [.. acknowledged]));
        Assert.Equal(acknowledged.Count, await CountAsync(db, "SELECT count(*) FROM ledger_entries WHERE kind = 'hold' AND reference_id = ANY($1)", [.. acknowledged]));
        Assert.Equal(0, await CountAsync(db,
            """
            SELECT count(*) FROM users u
            LEFT JOIN (SELECT user_id, sum(amount) AS amount, sum(hold_amount) AS held FROM ledger_entries GROUP BY user_id) l ON l.user_id = u.id
            WHERE u.id = ANY($1) AND (u.balance <> coalesce(l.amount, 0) OR u.held <> coalesce(l.held, 0))
            """, [.. users.Select(u => u.Id)]));
    }

    private static async Task<long> CountAsync(Npgsql.NpgsqlDataSource db, string sql, Guid[] ids)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter<Guid[]> { TypedValue = ids });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task ApiHost_StartedBeforeAnySilo_AnswersNotReadyThenConnects()
    {
        await system.ShutDownAllAsync();
        system.StartApi();
        try
        {
            await AssertNotReadyAsync();
        }
        finally
        {
            system.StartSilos();
            await system.WaitReadyAsync(2);
        }

        Assert.NotNull(await _api.CreateUserAsync());
    }

    private async Task AssertNotReadyAsync()
    {
        ApiCall? notReady = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (notReady is null && DateTime.UtcNow < deadline)
        {
            try
            {
                notReady = await _api.GetAsync("/api/health");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        Assert.NotNull(notReady);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);
        Assert.Equal("not_ready", notReady.Body["details"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/health/live")).Status);
        var register = await _api.PostAsync("/api/auth/register", new { email = "early@example.test", username = "early-bird", password = "password123" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, register.Status);
        Assert.Equal("SERVER_UNAVAILABLE", register.ErrorCode);
    }
}
