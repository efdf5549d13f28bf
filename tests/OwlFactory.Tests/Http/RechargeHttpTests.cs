using System.Net;
using System.Text.Json.Nodes;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

[Collection(SystemGroup.Name)]
public sealed class RechargeHttpTests(SystemFixture system) : IDisposable
{
    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    private Task<string> AdminTokenAsync() => _api.LoginAdminAsync();

    private async Task<JsonNode> GenerateAsync(object body)
    {
        var call = await _api.PostAsync("/api/recharge/codes", body, await AdminTokenAsync());
        Assert.True(call.Status == HttpStatusCode.Created, call.ToString());
        return call.Data;
    }

    private async Task<string> OneCodeAsync(decimal amount = 10m, int maxUses = 1, string? expiresAt = null)
        => (await GenerateAsync(new { amount, batch_size = 1, max_uses = maxUses, expires_at = expiresAt }))["codes"]![0]!["code"]!.GetValue<string>();

    private Task<ApiCall> RedeemAsync(string code, string token, string? idempotencyKey = null)
        => idempotencyKey is null
            ? _api.PostAsync("/api/recharge/redeem", new { code }, token)
            : _api.SendWithHeaderAsync("/api/recharge/redeem", new { code }, token, "Idempotency-Key", idempotencyKey);

    [Fact]
    public async Task GenerateCodes_Admin_Returns201WithTheContractsShape()
    {
        var data = await GenerateAsync(new { amount = 100.0, description = "新用户充值码", batch_size = 10, expires_at = "2099-12-31T23:59:59Z", max_uses = 1 });

        Assert.Equal(10, data["total_generated"]!.GetValue<int>());
        Assert.Equal(1000m, data["total_amount"]!.GetValue<decimal>());
        var codes = data["codes"]!.AsArray();
        Assert.Equal(10, codes.Count);
        foreach (var code in codes)
        {
            Assert.True(Guid.TryParse(code!["id"]!.GetValue<string>(), out _));
            Assert.Matches("^OWL-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$", code["code"]!.GetValue<string>());
            Assert.Equal(100m, code["amount"]!.GetValue<decimal>());
            Assert.Equal("2099-12-31T23:59:59Z", code["expires_at"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task GenerateCodes_NonAdmin_Is403_AndAnonymousIs401()
    {
        var user = await _api.CreateUserAsync();

        var asUser = await _api.PostAsync("/api/recharge/codes", new { amount = 10, batch_size = 1 }, user.Token);
        var anonymous = await _api.PostAsync("/api/recharge/codes", new { amount = 10, batch_size = 1 });

        Assert.Equal(HttpStatusCode.Forbidden, asUser.Status);
        Assert.Equal("ACCESS_DENIED", asUser.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
    }

    [Theory]
    [InlineData("amount", 0)]
    [InlineData("amount", 100000.01)]
    [InlineData("amount", 1.001)]
    [InlineData("batch_size", 0)]
    [InlineData("batch_size", 1001)]
    [InlineData("max_uses", 0)]
    [InlineData("max_uses", 1001)]
    [InlineData("expires_at", "2020-01-01T00:00:00Z")]
    public async Task GenerateCodes_OutOfRange_Returns422ForThatField(string field, object value)
    {
        var body = new Dictionary<string, object> { ["amount"] = 10, ["batch_size"] = 1, ["max_uses"] = 1 };
        body[field] = value;

        var call = await _api.PostAsync("/api/recharge/codes", body, await AdminTokenAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.NotNull(call.Body["details"]!["field_errors"]![field]);
    }

    [Fact]
    public async Task Redeem_ValidCode_CreditsTheBalanceAndListsTheRecord()
    {
        var user = await _api.CreateUserAsync();
        var code = await OneCodeAsync(100.50m);

        var call = await RedeemAsync(code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal), user.Token);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(100.50m, call.Data["amount"]!.GetValue<decimal>());
        Assert.Equal(100.50m, call.Data["new_balance"]!.GetValue<decimal>());
        var recordId = call.Data["recharge_record_id"]!.GetValue<string>();
        var me = (await _api.GetAsync("/api/users/me", user.Token)).Data;
        Assert.Equal(100.50m, me["balance"]!.GetValue<decimal>());
        Assert.Equal(100.50m, me["available_balance"]!.GetValue<decimal>());
        var records = (await _api.GetAsync("/api/recharge/records", user.Token)).Data;
        Assert.Equal(1, records["total"]!.GetValue<int>());
        var record = records["items"]![0]!;
        Assert.Equal(recordId, record["id"]!.GetValue<string>());
        Assert.Equal("credited", record["status"]!.GetValue<string>());
        Assert.Equal($"OWL-****-****-{code[^4..]}", record["code"]!.GetValue<string>());
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task Redeem_Refusals_Are400WithTheirReason()
    {
        var first = await _api.CreateUserAsync();
        var second = await _api.CreateUserAsync();
        var single = await OneCodeAsync();
        var multi = await OneCodeAsync(maxUses: 5);
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(single, first.Token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(multi, first.Token)).Status);

        AssertRefused(await RedeemAsync(single, second.Token), "used_up");
        AssertRefused(await RedeemAsync(multi, first.Token), "already_redeemed");
        AssertRefused(await RedeemAsync("OWL-AAAA-BBBB-CCCC", second.Token), "not_found");
        AssertRefused(await RedeemAsync("not a code", second.Token), "not_found");
        Assert.Equal(0m, await Ledger.BalanceAsync(second.Id));
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task Redeem_ExpiredCode_IsRefusedAsExpired()
    {
        var user = await _api.CreateUserAsync();
        var code = await OneCodeAsync(expiresAt: DateTime.UtcNow.AddSeconds(1.5).ToString("O"));

        await Task.Delay(TimeSpan.FromSeconds(2));

        AssertRefused(await RedeemAsync(code, user.Token), "expired");
        Assert.Equal(0m, await Ledger.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task Redeem_DisabledCode_IsRefusedAsDisabled_AndTheListShowsItMasked()
    {
        var user = await _api.CreateUserAsync();
        var generated = await GenerateAsync(new { amount = 5, batch_size = 3 });
        var batchId = generated["batch_id"]!.GetValue<string>();
        var codes = generated["codes"]!.AsArray().Select(c => (Id: c!["id"]!.GetValue<string>(), Code: c["code"]!.GetValue<string>())).ToArray();
        var admin = await AdminTokenAsync();

        var disabled = await _api.PostAsync($"/api/recharge/codes/{codes[0].Id}/disable", null, admin);
        Assert.Equal(HttpStatusCode.OK, disabled.Status);
        Assert.Equal("disabled", disabled.Data["status"]!.GetValue<string>());
        AssertRefused(await RedeemAsync(codes[0].Code, user.Token), "disabled");
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(codes[1].Code, user.Token)).Status);

        var all = (await _api.GetAsync($"/api/recharge/codes?batch_id={batchId}", admin)).Data;
        Assert.Equal(3, all["total"]!.GetValue<int>());
        Assert.All(all["items"]!.AsArray(), item => Assert.StartsWith("OWL-****-****-", item!["code"]!.GetValue<string>(), StringComparison.Ordinal));
        foreach (var (status, expected) in new[] { ("active", codes[2].Id), ("used", codes[1].Id), ("disabled", codes[0].Id) })
        {
            var page = (await _api.GetAsync($"/api/recharge/codes?batch_id={batchId}&status={status}", admin)).Data;
            Assert.Equal(expected, Assert.Single(page["items"]!.AsArray())!["id"]!.GetValue<string>());
        }

        Assert.Equal(0, (await _api.GetAsync($"/api/recharge/codes?batch_id={batchId}&status=expired", admin)).Data["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Redeem_SameIdempotencyKeyTwice_ReplaysTheFirstAnswerAndCreditsOnce()
    {
        var user = await _api.CreateUserAsync();
        var code = await OneCodeAsync(12.34m, maxUses: 10);

        var first = await RedeemAsync(code, user.Token, "key-123");
        var second = await RedeemAsync(code, user.Token, "key-123");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.ToString(), second.ToString());
        Assert.Equal(12.34m, await Ledger.BalanceAsync(user.Id));
        AssertRefused(await RedeemAsync(code, user.Token, "another-key"), "already_redeemed");
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task Redeem_TooManyRefusals_Returns429()
    {
        var user = await _api.CreateUserAsync();
        for (var i = 0; i < 10; i++)
        {
            AssertRefused(await RedeemAsync("OWL-ZZZZ-ZZZZ-ZZZ" + "ABCDEFGHJK"[i], user.Token), "not_found");
        }

        var blocked = await RedeemAsync(await OneCodeAsync(), user.Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.Status);
        Assert.Equal("RATE_LIMITED", blocked.ErrorCode);
    }

    [Fact]
    public async Task Redeem_AParallelBurstOfUnknownCodes_GetsNoMoreRefusalsThanTheLimit()
    {
        // Each code has a grain of its own; the user's places in the throttle are taken there, atomically.
        var user = await _api.CreateUserAsync();
        var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            RedeemAsync($"OWL-ZZZZ-ZZZZ-Z{RechargeCodesAlphabet[i / 10]}{RechargeCodesAlphabet[i % 10]}", user.Token)));

        Assert.Equal(10, burst.Count(c => c.Status == HttpStatusCode.BadRequest));
        Assert.Equal(20, burst.Count(c => c.Status == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await RedeemAsync(await OneCodeAsync(), user.Token)).Status);
    }

    [Fact]
    public async Task Redeem_InputThatCannotBeACode_CountsAsARefusal()
    {
        var user = await _api.CreateUserAsync();
        for (var i = 0; i < 10; i++)
        {
            AssertRefused(await RedeemAsync($"not a code {i}", user.Token), "not_found");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await RedeemAsync(await OneCodeAsync(), user.Token)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await RedeemAsync("still not a code", user.Token)).Status);
    }

    private const string RechargeCodesAlphabet = "ABCDEFGHJK";

    [Theory]
    [InlineData("/api/recharge/codes?status=bogus", "status")]
    [InlineData("/api/recharge/codes?page=0", "page")]
    [InlineData("/api/recharge/codes?page_size=101", "page_size")]
    [InlineData("/api/recharge/codes?page=abc", null)]
    public async Task ListCodes_BadQuery_Returns422(string path, string? field)
    {
        var call = await _api.GetAsync(path, await AdminTokenAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        if (field is not null)
        {
            Assert.NotNull(call.Body["details"]!["field_errors"]![field]);
        }
    }

    [Fact]
    public async Task Disable_UnknownCode_Returns404()
    {
        var call = await _api.PostAsync($"/api/recharge/codes/{Guid.NewGuid()}/disable", null, await AdminTokenAsync());

        Assert.Equal(HttpStatusCode.NotFound, call.Status);
        Assert.Equal("RESOURCE_NOT_FOUND", call.ErrorCode);
    }

    private static void AssertRefused(ApiCall call, string reason)
    {
        Assert.True(call.Status == HttpStatusCode.BadRequest, call.ToString());
        Assert.Equal("INVALID_RECHARGE_CODE", call.ErrorCode);
        Assert.Equal(reason, call.Body["details"]!["reason"]!.GetValue<string>());
    }
}
