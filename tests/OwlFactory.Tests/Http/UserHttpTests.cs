using System.Net;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

[Collection(SystemGroup.Name)]
public sealed class UserHttpTests(SystemFixture system) : IDisposable
{
    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task GetMe_WithToken_ReturnsTheAccount()
    {
        var user = await _api.CreateUserAsync();

        var call = await _api.GetAsync("/api/users/me", user.Token);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(user.Id.ToString(), call.Data["id"]!.GetValue<string>());
        Assert.Equal(user.Email, call.Data["email"]!.GetValue<string>());
        Assert.Equal(0m, call.Data["balance"]!.GetValue<decimal>());
        Assert.Equal(0m, call.Data["available_balance"]!.GetValue<decimal>());
        Assert.Equal(0, call.Data["total_tasks"]!.GetValue<int>());
        Assert.True(call.Data["is_active"]!.GetValue<bool>());
        Assert.EndsWith("Z", call.Data["last_login"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAiLCJ2ZXIiOiIwIiwicm9sZSI6InN1cGVyX2FkbWluIn0.c2lnbmVkLXdpdGgtdGhlLXdyb25nLWtleQ")]
    public async Task GetMe_MissingOrForgedToken_Returns401Envelope(string? token)
    {
        var call = await _api.GetAsync("/api/users/me", token);

        Assert.Equal(HttpStatusCode.Unauthorized, call.Status);
        Assert.False(call.Body["success"]!.GetValue<bool>());
        Assert.Equal("INVALID_CREDENTIALS", call.ErrorCode);
    }

    [Fact]
    public async Task UpdateMe_ChangesOnlyUsernameAndFullName()
    {
        var user = await _api.CreateUserAsync();
        var newName = "n" + Guid.NewGuid().ToString("N")[..12];

        var call = await _api.PutAsync("/api/users/me",
            new { username = newName, full_name = "新的姓名", role = "super_admin", balance = 1000, is_active = false, email = "x@y.z" }, user.Token);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var me = (await _api.GetAsync("/api/users/me", user.Token)).Data;
        Assert.Equal(newName, me["username"]!.GetValue<string>());
        Assert.Equal("新的姓名", me["full_name"]!.GetValue<string>());
        Assert.Equal("user", me["role"]!.GetValue<string>());
        Assert.Equal(0m, me["balance"]!.GetValue<decimal>());
        Assert.True(me["is_active"]!.GetValue<bool>());
        Assert.Equal(user.Email, me["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateMe_UsernameOfAnotherAccount_Returns409()
    {
        var other = await _api.CreateUserAsync();
        var user = await _api.CreateUserAsync();

        var call = await _api.PutAsync("/api/users/me", new { username = other.Username }, user.Token);

        Assert.Equal(HttpStatusCode.Conflict, call.Status);
        Assert.Equal("RESOURCE_CONFLICT", call.ErrorCode);
    }

    [Fact]
    public async Task UpdateMe_InvalidUsername_Returns422()
    {
        var user = await _api.CreateUserAsync();

        var call = await _api.PutAsync("/api/users/me", new { username = "no" }, user.Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.NotNull(call.Body["details"]!["field_errors"]!["username"]);
    }

    [Fact]
    public async Task ChangePassword_Success_RevokesEveryEarlierToken()
    {
        var user = await _api.CreateUserAsync();
        var secondToken = await _api.LoginAsync(user.Email, user.Password);

        var call = await _api.PostAsync("/api/users/change-password",
            new { current_password = user.Password, new_password = "brand-new-pass" }, user.Token);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/users/me", user.Token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/users/me", secondToken)).Status);
        var freshToken = call.Data["access_token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/users/me", freshToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await _api.PostAsync("/api/auth/login", new { email = user.Email, password = user.Password })).Status);
        Assert.Equal(HttpStatusCode.OK,
            (await _api.PostAsync("/api/auth/login", new { email = user.Email, password = "brand-new-pass" })).Status);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_Returns422AndKeepsTokens()
    {
        var user = await _api.CreateUserAsync();

        var call = await _api.PostAsync("/api/users/change-password",
            new { current_password = "not-it", new_password = "brand-new-pass" }, user.Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.NotNull(call.Body["details"]!["field_errors"]!["current_password"]);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/users/me", user.Token)).Status);
    }

    [Fact]
    public async Task ChangePassword_TooShortNewPassword_Returns422()
    {
        var user = await _api.CreateUserAsync();

        var call = await _api.PostAsync("/api/users/change-password",
            new { current_password = user.Password, new_password = "123" }, user.Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.NotNull(call.Body["details"]!["field_errors"]!["new_password"]);
    }

    [Fact]
    public async Task Stats_NewAccount_AreRealZeros()
    {
        var user = await _api.CreateUserAsync();

        var call = await _api.GetAsync("/api/users/stats", user.Token);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(0, call.Data["total_tasks"]!.GetValue<int>());
        Assert.Equal(0, call.Data["completed_tasks"]!.GetValue<int>());
        Assert.Equal(0, call.Data["failed_tasks"]!.GetValue<int>());
        Assert.Equal(0m, call.Data["total_cost"]!.GetValue<decimal>());
        Assert.Equal(0m, call.Data["current_balance"]!.GetValue<decimal>());
        Assert.Null(call.Data["last_task_date"]);
    }
}
