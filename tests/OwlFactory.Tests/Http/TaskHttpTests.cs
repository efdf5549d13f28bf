using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

/// <summary>
/// Tasks over real HTTP against the silo and API processes, with scripted agents speaking the agent protocol. The
/// tests change the live config (prices, timeout, maintenance) and put it back; the collection runs them one by one.
/// Each test uses a task type no other test's agent announces while it runs, and leaves no task queued.
/// </summary>
[Collection(SystemGroup.Name)]
public sealed class TaskHttpTests(SystemFixture system) : IAsyncLifetime
{
    private readonly OwlApiClient _api = system.CreateClient();
    private string _admin = "";
    private JsonNode? _configBefore;

    public async Task InitializeAsync()
    {
        _admin = await _api.LoginAdminAsync();
        _configBefore = (await _api.GetAsync("/api/admin/config", _admin)).Data;
    }

    public async Task DisposeAsync()
    {
        var before = _configBefore!;
        await SetConfigAsync(new
        {
            task_prices = before["task_prices"],
            default_task_timeout = before["default_task_timeout"]!.GetValue<int>(),
            maintenance_mode = false,
            max_concurrent_tasks_per_user = before["max_concurrent_tasks_per_user"]!.GetValue<int>(),
        });
        _api.Dispose();
    }

    [Fact]
    public async Task Submit_HoldsTheMostItCanCost_AndAPendingTaskSaysWhyItWaits()
    {
        var user = await FundedUserAsync(100m);

        var type = await OwnTypeAsync(0.03m);
        var submit = await SubmitAsync(user, type, priority: 2);
        var detail = await _api.GetAsync($"/api/tasks/{Id(submit)}", user.Token);
        var me = await _api.GetAsync("/api/users/me", user.Token);

        Assert.Equal(HttpStatusCode.Created, submit.Status);
        Assert.Equal("pending", submit.Data["status"]!.GetValue<string>());
        Assert.Equal(0.0, submit.Data["progress"]!.GetValue<double>());
        // 0.03/min × 3600 s = 1.80 held.
        Assert.Equal(1.80m, submit.Data["hold_amount"]!.GetValue<decimal>());
        Assert.Equal(100.00m, me.Data["balance"]!.GetValue<decimal>());
        Assert.Equal(98.20m, me.Data["available_balance"]!.GetValue<decimal>());
        Assert.Equal(1, me.Data["total_tasks"]!.GetValue<int>());
        Assert.Equal("no_server_for_task_type", detail.Data["pending_reason"]!.GetValue<string>());
        Assert.Equal(0, detail.Data["queue_position"]!.GetValue<int>());

        var cancel = await _api.PostAsync($"/api/tasks/{Id(submit)}/cancel", null, user.Token);
        Assert.Equal(HttpStatusCode.OK, cancel.Status);
        Assert.Equal("cancelled", cancel.Data["status"]!.GetValue<string>());
        Assert.Equal(0m, cancel.Data["cost"]!.GetValue<decimal>());
        Assert.Equal(100.00m, (await _api.GetAsync("/api/users/me", user.Token)).Data["available_balance"]!.GetValue<decimal>());
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task Lifecycle_ScriptedAgent_StartProgressLogsComplete_ChargesTheTimeRunToTheCent_AndARepeatedCompleteChargesOnce()
    {
        var type = await OwnTypeAsync(60m);
        var user = await FundedUserAsync(5000m);
        var agent = await ScriptedAgent.CreateAsync(_api, _admin, 1, type);
        var id = Id(await SubmitAsync(user, type));

        Assert.Equal([id], await agent.WaitForAssignmentsAsync());
        Assert.Equal(HttpStatusCode.OK, (await agent.StartAsync(id)).Status);
        Assert.Equal(HttpStatusCode.OK, (await agent.ProgressAsync(id, 45.5)).Status);
        Assert.Equal(HttpStatusCode.OK, (await agent.ProgressAsync(id, 20)).Status);
        Assert.Equal(HttpStatusCode.OK, (await agent.LogsAsync(id, "loading weights", "epoch 1")).Status);
        var running = await _api.GetAsync($"/api/tasks/{id}", user.Token);
        await Task.Delay(1200);
        var complete = await agent.CompleteAsync(id, new { accuracy = 0.97 });
        var again = await agent.CompleteAsync(id, new { accuracy = 0.97 });
        var done = (await _api.GetAsync($"/api/tasks/{id}", user.Token)).Data;

        Assert.Equal("running", running.Data["status"]!.GetValue<string>());
        Assert.Equal(45.5, running.Data["progress"]!.GetValue<double>());
        Assert.Equal(agent.ServerId, running.Data["gpu_server_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, complete.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(100.0, done["progress"]!.GetValue<double>());
        Assert.Equal(0.97, done["result"]!["accuracy"]!.GetValue<double>());
        var expected = CostOf(done, pricePerMinute: 60m);
        Assert.True(expected >= 1.20m, "ran at least 1.2 s at 1.00/s");
        Assert.Equal(expected, done["cost"]!.GetValue<decimal>());
        var me = (await _api.GetAsync("/api/users/me", user.Token)).Data;
        Assert.Equal(5000m - expected, me["balance"]!.GetValue<decimal>());
        Assert.Equal(5000m - expected, me["available_balance"]!.GetValue<decimal>());
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'charge'", user.Id));
        var stats = (await _api.GetAsync("/api/users/stats", user.Token)).Data;
        Assert.Equal(1, stats["completed_tasks"]!.GetValue<int>());
        Assert.Equal(expected, stats["total_cost"]!.GetValue<decimal>());
        var log = (await _api.GetAsync($"/api/logs/tasks/{id}", user.Token)).Data["items"]!.AsArray()
            .Select(l => l!["message"]!.GetValue<string>()).ToList();
        Assert.Equal("loading weights", log[log.FindIndex(m => m.StartsWith("started", StringComparison.Ordinal)) + 1]);
        Assert.Contains("epoch 1", log);
        Assert.StartsWith("completed", log[^1], StringComparison.Ordinal);
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task EndToEnd_RealAgentProcess_RunsTheTask_ReportsProgressAndLogs_AndItIsBilledToTheCent()
    {
        var type = await OwnTypeAsync(60m);
        var user = await FundedUserAsync(5000m);
        var created = await _api.PostAsync("/api/gpu/servers", new
        {
            name = "e2e-task-" + Guid.NewGuid().ToString("N")[..10], host = "127.0.0.1", gpu_count = 1, max_concurrent_tasks = 1, total_memory = 80,
        }, _admin);
        using var agent = OwlProcess.Start("Agent", "agent", new Dictionary<string, string>
        {
            ["OWL_AGENT_API_URL"] = system.BaseAddress.ToString().TrimEnd('/'),
            ["OWL_AGENT_TOKEN"] = created.Data["agent_token"]!.GetValue<string>(),
            ["OWL_AGENT_SIMULATE_GPUS"] = "1",
            [$"OWL_AGENT_EXECUTORS__{type.ToUpperInvariant()}__COMMAND"] = "/bin/sh",
            [$"OWL_AGENT_EXECUTORS__{type.ToUpperInvariant()}__ARGS__0"] = "-c",
            [$"OWL_AGENT_EXECUTORS__{type.ToUpperInvariant()}__ARGS__1"] =
                "echo 'OWL_PROGRESS 30'; echo 'analysing frames'; sleep 2; echo 'OWL_PROGRESS 100'; echo 'OWL_RESULT {\"frames\": 42}'",
        });
        try
        {
            var id = Id(await SubmitAsync(user, type));

            var done = await WaitForTaskAsync(user, id, t => t["status"]!.GetValue<string>() is "completed" or "failed", seconds: 40);

            Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString() + Environment.NewLine + agent.RecentOutput);
            Assert.Equal(42, done["result"]!["frames"]!.GetValue<int>());
            Assert.Equal(created.Data["server"]!["id"]!.GetValue<string>(), done["gpu_server_id"]!.GetValue<string>());
            var expected = CostOf(done, 60m);
            // The executor sleeps 2 s; the platform bills from the agent's /start to its /complete, which under load
            // can come a little later than the process itself started.
            Assert.True(expected >= 1.00m, $"the executor slept 2 s at 1.00/s, billed {expected}");
            Assert.Equal(expected, done["cost"]!.GetValue<decimal>());
            var me = (await _api.GetAsync("/api/users/me", user.Token)).Data;
            Assert.Equal(5000m - expected, me["balance"]!.GetValue<decimal>());
            Assert.Equal(5000m - expected, me["available_balance"]!.GetValue<decimal>());
            var log = await WaitForLogAsync(user, id, "analysing frames");
            Assert.True(log.IndexOf("analysing frames") > log.FindIndex(m => m.StartsWith("started", StringComparison.Ordinal)));
            await Ledger.AssertConsistentAsync();
        }
        finally
        {
            agent.Kill();
        }
    }

    [Fact]
    public async Task Submit_ParallelBurstAgainstTheLimit_AdmitsExactlyTheLimit()
    {
        await SetConfigAsync(new { max_concurrent_tasks_per_user = 5 });
        var user = await FundedUserAsync(1000m);

        var calls = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SubmitAsync(user, "data_processing")));

        Assert.Equal(5, calls.Count(c => c.Status == HttpStatusCode.Created));
        Assert.All(calls.Where(c => c.Status != HttpStatusCode.Created), c =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, c.Status);
            Assert.Equal("TASK_LIMIT_EXCEEDED", c.ErrorCode);
        });
        var me = (await _api.GetAsync("/api/users/me", user.Token)).Data;
        Assert.Equal(1000m - (5 * 1.80m), me["available_balance"]!.GetValue<decimal>());
        await CancelAllAsync(user);
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task Submit_ShortBalance_Is400WithRequiredAndAvailable()
    {
        var user = await FundedUserAsync(1.50m);

        var call = await SubmitAsync(user, "data_processing");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("INSUFFICIENT_BALANCE", call.ErrorCode);
        Assert.Equal(1.80m, call.Body["details"]!["required"]!.GetValue<decimal>());
        Assert.Equal(1.50m, call.Body["details"]!["available"]!.GetValue<decimal>());
        Assert.Equal(0, (await _api.GetAsync("/api/users/me", user.Token)).Data["total_tasks"]!.GetValue<int>());
    }

    [Fact]
    public async Task Submit_SameIdempotencyKeyTwice_ReturnsTheSameTask()
    {
        var user = await FundedUserAsync(10m);
        var body = new { title = "once", task_type = "test" };

        var first = await _api.SendWithHeaderAsync("/api/tasks", body, user.Token, "Idempotency-Key", "k-1");
        var second = await _api.SendWithHeaderAsync("/api/tasks", body, user.Token, "Idempotency-Key", "k-1");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(Id(first), Id(second));
        Assert.Equal(1, (await _api.GetAsync("/api/tasks", user.Token)).Data["total"]!.GetValue<int>());
        await CancelAllAsync(user);
    }

    [Fact]
    public async Task Transitions_TheStateForbids_Are409_AndAnotherUsersTaskIs404()
    {
        var user = await FundedUserAsync(10m);
        var other = await _api.CreateUserAsync();
        var id = Id(await SubmitAsync(user, "test"));

        Assert.Equal("INVALID_STATE", (await _api.PostAsync($"/api/tasks/{id}/retry", null, user.Token)).ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.SendAsync(HttpMethod.Delete, $"/api/tasks/{id}", null, user.Token)).Status);
        foreach (var call in new[]
        {
            await _api.GetAsync($"/api/tasks/{id}", other.Token),
            await _api.PostAsync($"/api/tasks/{id}/cancel", null, other.Token),
            await _api.PostAsync($"/api/tasks/{id}/retry", null, other.Token),
            await _api.SendAsync(HttpMethod.Delete, $"/api/tasks/{id}", null, other.Token),
            await _api.GetAsync($"/api/tasks/{id}/events", other.Token),
            await _api.GetAsync($"/api/logs/tasks/{id}", other.Token),
            await _api.GetAsync($"/api/tasks/{Guid.NewGuid()}", user.Token),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, call.Status);
            Assert.Equal("RESOURCE_NOT_FOUND", call.ErrorCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/tasks/{id}/cancel", null, user.Token)).Status);
        var twice = await _api.PostAsync($"/api/tasks/{id}/cancel", null, user.Token);
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Equal("INVALID_STATE", twice.ErrorCode);

        var retry = await _api.PostAsync($"/api/tasks/{id}/retry", null, user.Token);
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal("pending", retry.Data["status"]!.GetValue<string>());
        Assert.Equal(2, retry.Data["attempt"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/tasks/{id}/cancel", null, user.Token)).Status);

        var delete = await _api.SendAsync(HttpMethod.Delete, $"/api/tasks/{id}", null, user.Token);
        Assert.Equal(HttpStatusCode.OK, delete.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/tasks/{id}", user.Token)).Status);
        Assert.Equal(0, (await _api.GetAsync("/api/tasks", user.Token)).Data["total"]!.GetValue<int>());
        Assert.Equal(0, (await _api.GetAsync("/api/users/me", user.Token)).Data["total_tasks"]!.GetValue<int>());
    }

    [Fact]
    public async Task List_PagesFiltersAndSorts_OwnTasksOnly_AdminsMayAskForAUser()
    {
        var user = await FundedUserAsync(10m);
        var other = await FundedUserAsync(10m);
        var ids = new List<string>();
        foreach (var priority in new[] { 3, 1, 5 })
        {
            ids.Add(Id(await SubmitAsync(user, "test", priority)));
        }

        await SubmitAsync(other, "test");
        await _api.PostAsync($"/api/tasks/{ids[0]}/cancel", null, user.Token);

        var page = await _api.GetAsync("/api/tasks?page=1&page_size=2&sort_by=priority&sort_order=desc", user.Token);
        var page2 = await _api.GetAsync("/api/tasks?page=2&page_size=2&sort_by=priority&sort_order=desc", user.Token);
        var cancelled = await _api.GetAsync("/api/tasks?status=cancelled", user.Token);
        var byType = await _api.GetAsync("/api/tasks?task_type=training", user.Token);
        var asAdmin = await _api.GetAsync($"/api/tasks?user_id={user.Id}&sort_by=created_at&sort_order=asc", _admin);
        var userAsksForOther = await _api.GetAsync($"/api/tasks?user_id={other.Id}", user.Token);

        Assert.Equal(3, page.Data["total"]!.GetValue<int>());
        Assert.Equal(2, page.Data["total_pages"]!.GetValue<int>());
        Assert.Equal([5, 3], page.Data["items"]!.AsArray().Select(t => t!["priority"]!.GetValue<int>()));
        Assert.Equal([1], page2.Data["items"]!.AsArray().Select(t => t!["priority"]!.GetValue<int>()));
        Assert.Equal([ids[0]], cancelled.Data["items"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal(0, byType.Data["total"]!.GetValue<int>());
        Assert.Equal(ids, asAdmin.Data["items"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Forbidden, userAsksForOther.Status);
        await CancelAllAsync(user);
        await CancelAllAsync(other);
    }

    [Theory]
    [InlineData("/api/tasks?page=0", "page")]
    [InlineData("/api/tasks?page_size=101", "page_size")]
    [InlineData("/api/tasks?sort_by=title", "sort_by")]
    [InlineData("/api/tasks?sort_order=up", "sort_order")]
    [InlineData("/api/tasks?status=done", "status")]
    public async Task List_BadQuery_Is422(string path, string field)
    {
        var user = await _api.CreateUserAsync();

        var call = await _api.GetAsync(path, user.Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.True(call.Body["details"]!["field_errors"]!.AsObject().ContainsKey(field), call.ToString());
    }

    [Theory]
    [InlineData("{\"task_type\": \"test\"}", "title")]
    [InlineData("{\"title\": \"\", \"task_type\": \"test\"}", "title")]
    [InlineData("{\"title\": \"t\", \"task_type\": \"test\", \"priority\": 6}", "priority")]
    [InlineData("{\"title\": \"t\", \"task_type\": \"test\", \"estimated_duration\": 0}", "estimated_duration")]
    [InlineData("{\"title\": \"t\", \"task_type\": \"no_such_type\"}", "task_type")]
    [InlineData("{\"title\": \"t\", \"task_type\": \"test\", \"config\": [1, 2]}", "config")]
    [InlineData("{\"title\": \"t\", \"task_type\": \"test\", \"priority\": \"high\"}", "priority")]
    public async Task Submit_BadInput_Is422ForThatField(string body, string field)
    {
        var user = await FundedUserAsync(10m);

        var call = await _api.PostRawAsync("/api/tasks", body, user.Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("VALIDATION_ERROR", call.ErrorCode);
        Assert.True(call.Body["details"]!["field_errors"]!.AsObject().ContainsKey(field), call.ToString());
    }

    [Fact]
    public async Task Submit_ConfigOver64KiB_Is422()
    {
        var user = await FundedUserAsync(10m);

        var call = await _api.PostAsync("/api/tasks", new { title = "big", task_type = "test", config = new { blob = new string('x', 70_000) } }, user.Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.True(call.Body["details"]!["field_errors"]!.AsObject().ContainsKey("config"), call.ToString());
    }

    [Fact]
    public async Task Timeout_RunningPastDefaultTaskTimeout_FailsChargesTheHoldAndTellsTheAgentToStop()
    {
        var type = await OwnTypeAsync(6m);
        await SetConfigAsync(new { default_task_timeout = 10 });
        var user = await FundedUserAsync(100m);
        var agent = await ScriptedAgent.CreateAsync(_api, _admin, 1, type);
        var id = Id(await SubmitAsync(user, type));
        Assert.Equal([id], await agent.WaitForAssignmentsAsync());
        await agent.StartAsync(id);

        // The agent keeps beating (a silent one would be lost and its task requeued) and reports the task running.
        var cancel = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(25);
        while (!cancel.Contains(id) && DateTime.UtcNow < deadline)
        {
            cancel = [.. (await agent.HeartbeatAsync(wait: 1))["cancel"]!.AsArray().Select(c => c!.GetValue<string>())];
        }

        var failed = (await _api.GetAsync($"/api/tasks/{id}", user.Token)).Data;
        Assert.Equal("failed", failed["status"]!.GetValue<string>());

        Assert.Contains("timed out", failed["error_message"]!.GetValue<string>(), StringComparison.Ordinal);
        // 6.00/min for the 10 s timeout: the whole 1.00 hold, never more.
        Assert.Equal(1.00m, failed["hold_amount"]!.GetValue<decimal>());
        Assert.Equal(1.00m, failed["cost"]!.GetValue<decimal>());
        Assert.Equal(99.00m, (await _api.GetAsync("/api/users/me", user.Token)).Data["balance"]!.GetValue<decimal>());
        Assert.Contains(id, cancel);
        Assert.Equal(HttpStatusCode.Conflict, (await agent.CompleteAsync(id)).Status);
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task Cancel_WhileRunning_ReachesTheAgent_AndChargesTheTimeRun()
    {
        var type = await OwnTypeAsync(60m);
        var user = await FundedUserAsync(5000m);
        var agent = await ScriptedAgent.CreateAsync(_api, _admin, 1, type);
        var id = Id(await SubmitAsync(user, type));
        Assert.Equal([id], await agent.WaitForAssignmentsAsync());
        await agent.StartAsync(id);
        await Task.Delay(500);

        var cancel = await _api.PostAsync($"/api/tasks/{id}/cancel", null, user.Token);
        var told = await agent.CancelListAsync();
        var late = await agent.ProgressAsync(id, 90);

        Assert.Equal(HttpStatusCode.OK, cancel.Status);
        Assert.Contains(id, told);
        Assert.Equal(HttpStatusCode.Conflict, late.Status);
        var done = (await _api.GetAsync($"/api/tasks/{id}", user.Token)).Data;
        var expected = CostOf(done, 60m);
        Assert.True(expected >= 0.50m);
        Assert.Equal(expected, done["cost"]!.GetValue<decimal>());
        Assert.Equal(5000m - expected, (await _api.GetAsync("/api/users/me", user.Token)).Data["balance"]!.GetValue<decimal>());
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task ServerLoss_RequeuesAtTheFront_LostTimeIsNotBilled_AndTheOldServerIsRefused()
    {
        var type = await OwnTypeAsync(60m);
        var user = await FundedUserAsync(5000m);
        var lost = await ScriptedAgent.CreateAsync(_api, _admin, 1, type);
        var id = Id(await SubmitAsync(user, type));
        Assert.Equal([id], await lost.WaitForAssignmentsAsync());
        await lost.StartAsync(id);

        // No more heartbeats from it: after the 3 s timeout its task goes back to the queue.
        var requeued = await WaitForTaskAsync(user, id, t => t["status"]!.GetValue<string>() == "pending", seconds: 20);
        var rescuer = await ScriptedAgent.CreateAsync(_api, _admin, 1, type);
        Assert.Equal([id], await rescuer.WaitForAssignmentsAsync());
        await rescuer.StartAsync(id);
        var stale = await lost.CompleteAsync(id);
        await Task.Delay(300);
        await rescuer.CompleteAsync(id);
        var done = (await _api.GetAsync($"/api/tasks/{id}", user.Token)).Data;

        Assert.Equal(2, requeued["attempt"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, stale.Status);
        Assert.Equal(rescuer.ServerId, done["gpu_server_id"]!.GetValue<string>());
        var expected = CostOf(done, 60m);
        Assert.True(expected < 3.00m, "only the rescuer's run is billed, not the seconds lost with the first server");
        Assert.Equal(expected, done["cost"]!.GetValue<decimal>());
        Assert.Equal(5000m - expected, (await _api.GetAsync("/api/users/me", user.Token)).Data["balance"]!.GetValue<decimal>());
        var log = (await _api.GetAsync($"/api/logs/tasks/{id}", user.Token)).Data["items"]!.AsArray()
            .Select(l => l!["message"]!.GetValue<string>()).ToList();
        Assert.Contains(log, m => m.Contains("requeued at the front", StringComparison.Ordinal));
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task Maintenance_RefusesSubmitsWith503AndDispatchesNothing()
    {
        var user = await FundedUserAsync(10m);
        var type = await OwnTypeAsync(0.03m);
        var queued = Id(await SubmitAsync(user, type));
        await SetConfigAsync(new { maintenance_mode = true, maintenance_message = "GPU firmware upgrade" });
        var agent = await ScriptedAgent.CreateAsync(_api, _admin, 2, type);

        var refused = await SubmitAsync(user, type);
        var beat = await agent.HeartbeatAsync(wait: 1);
        var detail = (await _api.GetAsync($"/api/tasks/{queued}", user.Token)).Data;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("SERVER_UNAVAILABLE", refused.ErrorCode);
        Assert.Equal("GPU firmware upgrade", refused.Body["message"]!.GetValue<string>());
        Assert.Empty(beat["assignments"]!.AsArray());
        Assert.Equal("maintenance", detail["pending_reason"]!.GetValue<string>());

        await SetConfigAsync(new { maintenance_mode = false });
        Assert.Equal([queued], await agent.WaitForAssignmentsAsync());
        await agent.StartAsync(queued);
        await agent.CompleteAsync(queued);
    }

    [Fact]
    public async Task Dispatch_ScarceSlots_HigherPriorityFirstThenOlder_AndAFullServerIsBusy()
    {
        var user = await FundedUserAsync(10m);
        var type = await OwnTypeAsync(0.05m);
        var low = Id(await SubmitAsync(user, type, priority: 1));
        var highOld = Id(await SubmitAsync(user, type, priority: 4));
        var highNew = Id(await SubmitAsync(user, type, priority: 4));
        JsonNode? behind = null;
        var agent = await ScriptedAgent.CreateAsync(_api, _admin, 1, type);

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var next = Assert.Single(await agent.WaitForAssignmentsAsync());
            order.Add(next);
            await agent.StartAsync(next);
            if (i == 0)
            {
                var status = (await _api.GetAsync($"/api/gpu/servers/{agent.ServerId}", _admin)).Data;
                Assert.Equal("busy", status["status"]!.GetValue<string>());
                Assert.Equal(1, status["current_tasks"]!.GetValue<int>());
                var delete = await _api.SendAsync(HttpMethod.Delete, $"/api/gpu/servers/{agent.ServerId}", null, _admin);
                Assert.Equal(HttpStatusCode.Conflict, delete.Status);
                behind = (await _api.GetAsync($"/api/tasks/{low}", user.Token)).Data;
            }

            await agent.CompleteAsync(next);
        }

        Assert.Equal("queued_behind_higher_priority", behind!["pending_reason"]!.GetValue<string>());
        Assert.Equal(1, behind["queue_position"]!.GetValue<int>());
        Assert.Equal([highOld, highNew, low], order);
    }

    [Fact]
    public async Task Events_StreamStatusAndProgressUntilTheTaskEnds()
    {
        var user = await FundedUserAsync(10m);
        var type = await OwnTypeAsync(0.03m);
        var agent = await ScriptedAgent.CreateAsync(_api, _admin, 1, type);
        var id = Id(await SubmitAsync(user, type));
        using var http = new HttpClient { BaseAddress = system.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tasks/{id}/events");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user.Token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reading = ServerSentEvents.ReadJsonAsync(response, task => task["status"]!.GetValue<string>() is "completed" or "failed" or "cancelled");

        Assert.Equal([id], await agent.WaitForAssignmentsAsync());
        await agent.StartAsync(id);
        await agent.ProgressAsync(id, 50);
        await agent.CompleteAsync(id);
        var events = await reading.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var statuses = events.Select(e => e["status"]!.GetValue<string>()).Distinct().ToList();
        Assert.Equal(["pending", "running", "completed"], statuses);
        Assert.Contains(events, e => e["progress"]!.GetValue<double>() == 50.0);
    }

    [Fact]
    public async Task TaskLog_CursorPagesInOrder_AndFollowStreamsUntilTheTaskEnds()
    {
        var user = await FundedUserAsync(10m);
        var type = await OwnTypeAsync(0.03m);
        var agent = await ScriptedAgent.CreateAsync(_api, _admin, 1, type);
        var id = Id(await SubmitAsync(user, type));
        Assert.Equal([id], await agent.WaitForAssignmentsAsync());
        await agent.StartAsync(id);
        await agent.LogsAsync(id, "one", "two", "three");
        using var http = new HttpClient { BaseAddress = system.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/logs/tasks/{id}?follow=true");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user.Token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var following = ServerSentEvents.ReadJsonAsync(response);
        await agent.LogsAsync(id, "four");
        await agent.CompleteAsync(id);

        var first = (await _api.GetAsync($"/api/logs/tasks/{id}?limit=2", user.Token)).Data;
        var second = (await _api.GetAsync($"/api/logs/tasks/{id}?limit=200&after={first["next_after"]!.GetValue<long>()}", user.Token)).Data;
        var followed = await following.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(first["has_more"]!.GetValue<bool>());
        Assert.False(second["has_more"]!.GetValue<bool>());
        var all = first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(l => l!["message"]!.GetValue<string>()).ToList();
        var agentLines = all.Where(m => m is "one" or "two" or "three" or "four").ToList();
        Assert.Equal(["one", "two", "three", "four"], agentLines);
        Assert.Equal(all, followed.Select(l => l["message"]!.GetValue<string>()));
        Assert.StartsWith("completed", all[^1], StringComparison.Ordinal);
    }

    private async Task<TestUser> FundedUserAsync(decimal balance)
    {
        var user = await _api.CreateUserAsync();
        var put = await _api.PutAsync($"/api/admin/users/{user.Id}", new { balance }, _admin);
        Assert.True(put.Status == HttpStatusCode.OK, put.ToString());
        return user;
    }

    private Task<ApiCall> SubmitAsync(TestUser user, string taskType, int priority = 1)
        => _api.PostAsync("/api/tasks", new
        {
            title = $"{taskType} p{priority}",
            description = "from the task tests",
            task_type = taskType,
            priority,
            estimated_duration = 5,
            config = new { video_url = "https://example.com/video.mp4" },
        }, user.Token);

    private async Task SetConfigAsync(object change)
    {
        var put = await _api.PutAsync("/api/admin/config", change, _admin);
        Assert.True(put.Status == HttpStatusCode.OK, put.ToString());
        await system.WaitForConfigAsync(put.Data["version"]!.GetValue<long>());
    }

    /// <summary>
    /// A task type priced for this test only: no agent of another test announces it and no other test's leftover
    /// task has it, so dispatch and pending reasons are this test's alone.
    /// </summary>
    private async Task<string> OwnTypeAsync(decimal pricePerMinute)
    {
        var type = "t_" + Guid.NewGuid().ToString("N")[..10];
        var prices = _configBefore!["task_prices"]!.DeepClone().AsObject();
        prices[type] = pricePerMinute;
        await SetConfigAsync(new { task_prices = prices });
        return type;
    }

    private async Task<JsonNode> WaitForTaskAsync(TestUser user, string id, Func<JsonNode, bool> until, double seconds)
    {
        return await Poll.UntilAsync(
            async () => (await _api.GetAsync($"/api/tasks/{id}", user.Token)).Data, until,
            TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(100),
            task => "task never got there: " + task.ToJsonString());
    }

    /// <summary>The agent sends log lines in batches, possibly after its complete; waits for <paramref name="line"/>.</summary>
    private Task<List<string>> WaitForLogAsync(TestUser user, string id, string line)
        => Poll.UntilAsync(
            async () => (await _api.GetAsync($"/api/logs/tasks/{id}?limit=200", user.Token)).Data["items"]!.AsArray()
                .Select(l => l!["message"]!.GetValue<string>()).ToList(),
            log => log.Contains(line), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100),
            log => $"no '{line}' in the log: {string.Join(" | ", log)}");

    private async Task CancelAllAsync(TestUser user)
    {
        var list = (await _api.GetAsync("/api/tasks?page_size=100", user.Token)).Data["items"]!.AsArray();
        foreach (var task in list.Where(t => t!["status"]!.GetValue<string>() is "pending" or "running"))
        {
            await _api.PostAsync($"/api/tasks/{task!["id"]!.GetValue<string>()}/cancel", null, user.Token);
        }
    }

    /// <summary>PRODUCT.md's rule from the task's own timestamps: price × seconds / 60, half-up to cents.</summary>
    private static decimal CostOf(JsonNode task, decimal pricePerMinute)
    {
        var started = DateTime.Parse(task["started_at"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        var ended = DateTime.Parse(task["completed_at"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return Math.Round(pricePerMinute * (decimal)(ended - started).TotalMilliseconds / 60_000m, 2, MidpointRounding.AwayFromZero);
    }

    private static string Id(ApiCall call) => call.Data["id"]!.GetValue<string>();
}
