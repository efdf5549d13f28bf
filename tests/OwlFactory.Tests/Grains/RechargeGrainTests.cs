using OwlFactory.GrainInterfaces.Accounts;
using OwlFactory.GrainInterfaces.Recharge;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Grains;

[Collection(ClusterGroup.Name)]
public sealed class RechargeGrainTests(ClusterFixture fixture)
{
    private async Task<Guid[]> CreateUsersAsync(int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        await Task.WhenAll(ids.Select(id =>
        {
            var name = "r" + id.ToString("N")[..14];
            return fixture.Grains.GetGrain<IUserGrain>(id).RegisterAsync(
                new RegisterCommand($"{name}@example.test", name, "password123", null, UserRole.User));
        }));
        return ids;
    }

    private async Task<IssuedCode> IssueAsync(decimal amount, int maxUses = 1, DateTime? expiresAt = null)
    {
        var batch = await fixture.Grains.GetGrain<IRechargeCodeIssuerGrain>(0)
            .IssueAsync(new IssueCodesCommand(amount, "test", 1, expiresAt, maxUses, Guid.NewGuid()));
        return batch.Codes[0];
    }

    private IRechargeCodeGrain Code(IssuedCode code)
    {
        Assert.True(RechargeCodes.TryNormalize(code.Code, out var symbols));
        return fixture.Grains.GetGrain<IRechargeCodeGrain>(RechargeCodes.GrainKey(RechargeCodes.Hash(symbols)));
    }

    [Fact]
    public async Task RedeemAsync_FiftyUsersRaceForASingleUseCode_ExactlyOneIsCredited()
    {
        var users = await CreateUsersAsync(50);
        var code = await IssueAsync(25.50m);

        var results = await Task.WhenAll(users.Select(u => Code(code).RedeemAsync(u, Guid.NewGuid())));

        var winner = Assert.Single(results, r => r.Status == RedeemStatus.Ok);
        Assert.Equal(49, results.Count(r => r.Status == RedeemStatus.UsedUp));
        Assert.Equal(25.50m, winner.NewBalance);
        var balances = await Task.WhenAll(users.Select(Ledger.BalanceAsync));
        Assert.Equal(25.50m, balances.Sum());
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM recharge_records WHERE code_id = $1", code.Id));
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task RedeemAsync_TenUsersRaceForAThreeUseCode_ExactlyThreeAreCredited()
    {
        var users = await CreateUsersAsync(10);
        var code = await IssueAsync(10m, maxUses: 3);

        var results = await Task.WhenAll(users.Select(u => Code(code).RedeemAsync(u, Guid.NewGuid())));

        Assert.Equal(3, results.Count(r => r.Status == RedeemStatus.Ok));
        Assert.Equal(7, results.Count(r => r.Status == RedeemStatus.UsedUp));
        Assert.Equal(30m, (await Task.WhenAll(users.Select(Ledger.BalanceAsync))).Sum());
        Assert.Equal(3, await TestDatabase.ScalarAsync<int>("SELECT used_count FROM recharge_codes WHERE id = $1", code.Id));
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task RedeemAsync_OneUserFiresEightAtAMultiUseCode_IsCreditedOnce()
    {
        var user = (await CreateUsersAsync(1))[0];
        var code = await IssueAsync(7.25m, maxUses: 100);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Code(code).RedeemAsync(user, Guid.NewGuid())));

        Assert.Single(results, r => r.Status == RedeemStatus.Ok);
        Assert.Equal(7, results.Count(r => r.Status == RedeemStatus.AlreadyRedeemed));
        Assert.Equal(7.25m, await Ledger.BalanceAsync(user));
        Assert.Equal(1L, await Ledger.EntriesAsync(user));
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task RedeemAsync_SameOperationRepeated_ReplaysTheFirstAnswerAndCreditsOnce()
    {
        var user = (await CreateUsersAsync(1))[0];
        var code = await IssueAsync(3m, maxUses: 5);
        var operation = Guid.NewGuid();

        var first = await Code(code).RedeemAsync(user, operation);
        var again = await Code(code).RedeemAsync(user, operation);

        Assert.Equal(RedeemStatus.Ok, first.Status);
        Assert.Equal(first, again);
        Assert.Equal(operation, first.RecordId);
        Assert.Equal(3m, await Ledger.BalanceAsync(user));
        Assert.Equal(1L, await Ledger.EntriesAsync(user));
    }

    [Fact]
    public async Task RedeemAsync_CreditFails_NothingIsClaimedAndTheRetryCreditsExactlyOnce()
    {
        var user = (await CreateUsersAsync(1))[0];
        var code = await IssueAsync(42.42m);
        var operation = Guid.NewGuid();
        var trigger = "fault_" + user.ToString("N");

        // A real fault in the credit: PostgreSQL refuses this user's ledger insert. The claim shares its transaction.
        await Execute($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS
            'BEGIN IF NEW.user_id = ''{user}'' THEN RAISE EXCEPTION ''injected fault''; END IF; RETURN NEW; END';
            CREATE TRIGGER {trigger} BEFORE INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION {trigger}();
            """);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Code(code).RedeemAsync(user, operation));
        }
        finally
        {
            await Execute($"DROP TRIGGER {trigger} ON ledger_entries; DROP FUNCTION {trigger}();");
        }

        Assert.Equal(0m, await Ledger.BalanceAsync(user));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM recharge_records WHERE id = $1", operation));
        Assert.Equal(0, await TestDatabase.ScalarAsync<int>("SELECT used_count FROM recharge_codes WHERE id = $1", code.Id));

        var retry = await Code(code).RedeemAsync(user, operation);

        Assert.Equal(RedeemStatus.Ok, retry.Status);
        Assert.Equal(42.42m, retry.NewBalance);
        Assert.Equal(RedeemStatus.Ok, (await Code(code).RedeemAsync(user, operation)).Status);
        Assert.Equal(RedeemStatus.AlreadyRedeemed, (await Code(code).RedeemAsync(user, Guid.NewGuid())).Status);
        Assert.Equal(42.42m, await Ledger.BalanceAsync(user));
        Assert.Equal(1L, await Ledger.EntriesAsync(user));
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task SettlePendingAsync_AClaimWithoutItsCredit_IsCreditedExactlyOnce()
    {
        // Claims were once committed before their credit; one whose credit never came (written here as such a claim
        // was) is found and credited once by the settlement, and the code's grain then answers its replay.
        var user = (await CreateUsersAsync(1))[0];
        var code = await IssueAsync(42.42m);
        var operation = Guid.NewGuid();
        await Execute($"""
            UPDATE recharge_codes SET used_count = 1, version = version + 1 WHERE id = '{code.Id}';
            INSERT INTO recharge_records (id, code_id, user_id, amount, created_at) VALUES ('{operation}', '{code.Id}', '{user}', 42.42, now());
            """);

        var settlement = fixture.Grains.GetGrain<IRechargeSettlementGrain>(0);
        Assert.True(await settlement.SettlePendingAsync(TimeSpan.Zero) >= 1);
        await settlement.SettlePendingAsync(TimeSpan.Zero);

        Assert.Equal(42.42m, await Ledger.BalanceAsync(user));
        Assert.Equal(1L, await Ledger.EntriesAsync(user));
        var replay = await Code(code).RedeemAsync(user, operation);
        Assert.Equal(RedeemStatus.Ok, replay.Status);
        Assert.Equal(42.42m, replay.NewBalance);
        Assert.Equal(42.42m, await Ledger.BalanceAsync(user));
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task IssueAsync_BatchOfAThousand_StoresOnlyHashesAndMasks()
    {
        var batch = await fixture.Grains.GetGrain<IRechargeCodeIssuerGrain>(0)
            .IssueAsync(new IssueCodesCommand(1m, "bulk", 1000, null, 1, Guid.NewGuid()));

        Assert.Equal(1000, batch.Codes.Length);
        Assert.Equal(1000, batch.Codes.Select(c => c.Code).Distinct().Count());
        Assert.All(batch.Codes, c => Assert.Matches("^OWL-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$", c.Code));
        var sample = batch.Codes[500];
        RechargeCodes.TryNormalize(sample.Code, out var symbols);
        Assert.Equal(RechargeCodes.Hash(symbols), await TestDatabase.ScalarAsync<string>("SELECT code_hash FROM recharge_codes WHERE id = $1", sample.Id));
        Assert.Equal($"OWL-****-****-{symbols[8..]}", await TestDatabase.ScalarAsync<string>("SELECT masked_code FROM recharge_codes WHERE id = $1", sample.Id));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM recharge_codes WHERE position($1 in code_hash || masked_code || coalesce(description, '')) > 0", symbols));
        Assert.Equal(1000L, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM recharge_codes WHERE batch_id = $1", batch.BatchId));
    }

    [Fact]
    public async Task IssueAsync_BatchesThatOutgrowTheCodesStatistics_LeaveThemNoMoreThanAQuarterBehind()
    {
        // Enough codes to double the table (other tests issue a handful each): its statistics, as autovacuum alone would
        // leave them for up to a minute, would then describe half of it or less.
        var before = await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM recharge_codes");
        for (var issued = 0L; issued <= before; issued += 1000)
        {
            await fixture.Grains.GetGrain<IRechargeCodeIssuerGrain>(0).IssueAsync(new IssueCodesCommand(1m, "bulk", 1000, null, 1, Guid.NewGuid()));
        }

        var counted = await TestDatabase.ScalarAsync<int>("SELECT relpages FROM pg_class WHERE oid = 'recharge_codes'::regclass");
        var pages = await TestDatabase.ScalarAsync<long>("SELECT pg_relation_size('recharge_codes') / current_setting('block_size')::int");
        Assert.True(counted * 5 >= pages * 4, $"the statistics count {counted} pages of {pages}");
    }

    private static async Task Execute(string sql)
    {
        await using var command = TestDatabase.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
