using OwlFactory.GrainInterfaces.Accounts;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Grains;

[Collection(ClusterGroup.Name)]
public sealed class UserGrainTests(ClusterFixture fixture)
{
    private static RegisterCommand NewAccount(string? email = null, string? username = null)
    {
        var name = "g" + Guid.NewGuid().ToString("N")[..12];
        return new RegisterCommand(email ?? $"{name}@example.test", username ?? name, "first-password", "Grain Test", UserRole.User);
    }

    [Fact]
    public async Task RegisterAsync_NewAccount_StoresRowAndAllowsLogin()
    {
        var id = Guid.NewGuid();
        var command = NewAccount();

        var result = await fixture.Grains.GetGrain<IUserGrain>(id).RegisterAsync(command);

        Assert.Equal(AccountStatus.Ok, result.Status);
        Assert.Equal(command.Email, result.Profile!.Email);
        Assert.Equal(0m, result.Profile.Balance);
        var stored = await TestDatabase.ScalarAsync<string>("SELECT username FROM users WHERE id = $1", id);
        Assert.Equal(command.Username, stored);
        var login = await fixture.Grains.GetGrain<IUserGrain>(id).LoginAsync("first-password");
        Assert.Equal(AccountStatus.Ok, login.Status);
        Assert.NotNull(login.Profile!.LastLogin);
    }

    [Fact]
    public async Task RegisterAsync_SameGrainTwice_SecondIsAlreadyExists()
    {
        var grain = fixture.Grains.GetGrain<IUserGrain>(Guid.NewGuid());
        Assert.Equal(AccountStatus.Ok, (await grain.RegisterAsync(NewAccount())).Status);

        var second = await grain.RegisterAsync(NewAccount());

        Assert.Equal(AccountStatus.AlreadyExists, second.Status);
    }

    [Fact]
    public async Task RegisterAsync_SameRegistrationSentAgain_AnswersOkWithTheSameAccount()
    {
        var grain = fixture.Grains.GetGrain<IUserGrain>(Guid.NewGuid());
        var command = NewAccount();
        var first = await grain.RegisterAsync(command);

        var again = await grain.RegisterAsync(command);

        Assert.Equal(AccountStatus.Ok, again.Status);
        Assert.Equal(first.Profile!.Email, again.Profile!.Email);
    }

    [Fact]
    public async Task RegisterAsync_TwentyRacesForOneEmailInMixedCase_ExactlyOneWins()
    {
        var email = $"race{Guid.NewGuid():N}@example.test";
        var attempts = Enumerable.Range(0, 20).Select(i =>
        {
            var casing = i % 2 == 0 ? email : email.ToUpperInvariant();
            return fixture.Grains.GetGrain<IUserGrain>(Guid.NewGuid()).RegisterAsync(NewAccount(email: casing));
        });

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.Status == AccountStatus.Ok);
        Assert.Equal(19, results.Count(r => r.Status == AccountStatus.EmailTaken));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM users WHERE lower(email) = $1", email));
    }

    [Fact]
    public async Task RegisterAsync_TwentyRacesForOneUsername_ExactlyOneWins()
    {
        var username = "race" + Guid.NewGuid().ToString("N")[..10];
        var attempts = Enumerable.Range(0, 20).Select(i => fixture.Grains.GetGrain<IUserGrain>(Guid.NewGuid())
            .RegisterAsync(NewAccount(username: i % 2 == 0 ? username : username.ToUpperInvariant())));

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.Status == AccountStatus.Ok);
        Assert.Equal(19, results.Count(r => r.Status == AccountStatus.UsernameTaken));
    }

    [Fact]
    public async Task LoginAsync_WrongPasswordAndUnknownAccount_AreRefused()
    {
        var id = Guid.NewGuid();
        await fixture.Grains.GetGrain<IUserGrain>(id).RegisterAsync(NewAccount());

        var wrong = await fixture.Grains.GetGrain<IUserGrain>(id).LoginAsync("not-the-password");
        var unknown = await fixture.Grains.GetGrain<IUserGrain>(Guid.NewGuid()).LoginAsync("first-password");

        Assert.Equal(AccountStatus.WrongPassword, wrong.Status);
        Assert.Null(wrong.Profile);
        Assert.Equal(AccountStatus.NotFound, unknown.Status);
    }

    [Fact]
    public async Task ChangePasswordAsync_CorrectCurrent_BumpsTokenVersionAndSwapsPasswords()
    {
        var grain = fixture.Grains.GetGrain<IUserGrain>(Guid.NewGuid());
        await grain.RegisterAsync(NewAccount());
        var before = (await grain.GetSessionAsync())!.TokenVersion;

        var changed = await grain.ChangePasswordAsync("first-password", "second-password");

        Assert.Equal(AccountStatus.Ok, changed.Status);
        Assert.Equal(before + 1, changed.TokenVersion);
        Assert.Equal(before + 1, (await grain.GetSessionAsync())!.TokenVersion);
        Assert.Equal(AccountStatus.WrongPassword, (await grain.LoginAsync("first-password")).Status);
        Assert.Equal(AccountStatus.Ok, (await grain.LoginAsync("second-password")).Status);
    }

    [Fact]
    public async Task ChangePasswordAsync_WrongCurrent_ChangesNothing()
    {
        var grain = fixture.Grains.GetGrain<IUserGrain>(Guid.NewGuid());
        await grain.RegisterAsync(NewAccount());

        var changed = await grain.ChangePasswordAsync("guess", "second-password");

        Assert.Equal(AccountStatus.WrongPassword, changed.Status);
        Assert.Equal(0, (await grain.GetSessionAsync())!.TokenVersion);
        Assert.Equal(AccountStatus.Ok, (await grain.LoginAsync("first-password")).Status);
    }

    [Fact]
    public async Task UpdateProfileAsync_TakenUsername_ConflictsAndKeepsOldName()
    {
        var first = NewAccount();
        await fixture.Grains.GetGrain<IUserGrain>(Guid.NewGuid()).RegisterAsync(first);
        var grain = fixture.Grains.GetGrain<IUserGrain>(Guid.NewGuid());
        var second = NewAccount();
        await grain.RegisterAsync(second);

        var result = await grain.UpdateProfileAsync(first.Username.ToUpperInvariant(), "New Name");

        Assert.Equal(AccountStatus.UsernameTaken, result.Status);
        var profile = await grain.GetProfileAsync();
        Assert.Equal(second.Username, profile!.Username);
        Assert.Equal("Grain Test", profile.FullName);
    }

    [Fact]
    public async Task Account_AfterDeactivationOfEveryGrain_IsReloadedFromPostgres()
    {
        var id = Guid.NewGuid();
        var grain = fixture.Grains.GetGrain<IUserGrain>(id);
        await grain.RegisterAsync(NewAccount());
        await grain.UpdateProfileAsync(null, "Renamed");
        await grain.ChangePasswordAsync("first-password", "second-password");
        var before = await grain.GetProfileAsync();

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var after = await fixture.Grains.GetGrain<IUserGrain>(id).GetProfileAsync();
        Assert.Equal(before, after);
        Assert.Equal(1, (await grain.GetSessionAsync())!.TokenVersion);
        Assert.Equal(AccountStatus.Ok, (await grain.LoginAsync("second-password")).Status);
    }
}
