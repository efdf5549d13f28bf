using System.Net;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

[Collection(SystemGroup.Name)]
public sealed class AdminUsersHttpTests(SystemFixture system) : IDisposable
{
    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    private Task<string> SuperAdminTokenAsync() => _api.LoginAdminAsync();

    private async Task<TestUser> PromoteAsync(TestUser user, string role)
    {
        var call = await _api.PutAsync($"/api/admin/users/{user.Id}", new { role }, await SuperAdminTokenAsync());
        Assert.True(call.Status == HttpStatusCode.OK, call.ToString());
        return user with { Token = await _api.LoginAsync(user.Email, user.Password) };
    }

    [Fact]
    public async Task ListUsers_FiltersAndSearch_AreApplied()
    {
        var user = await _api.CreateUserAsync();
        var admin = await SuperAdminTokenAsync();
        var token = user.Username[4..14];

        var found = (await _api.GetAsync($"/api/admin/users?search={token}&role=user&is_active=true", admin)).Data;
        var inactiveOnly = (await _api.GetAsync($"/api/admin/users?search={token}&is_active=false", admin)).Data;
        var injection = await _api.GetAsync("/api/admin/users?search=%25'%20OR%201%3D1%20--", admin);
        var paged = (await _api.GetAsync("/api/admin/users?page=1&page_size=2", admin)).Data;

        Assert.Equal(1, found["total"]!.GetValue<int>());
        Assert.Equal(user.Id.ToString(), found["items"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(0, inactiveOnly["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, injection.Status);
        Assert.Equal(0, injection.Data["total"]!.GetValue<int>());
        Assert.Equal(2, paged["items"]!.AsArray().Count);
        Assert.True(paged["total_pages"]!.GetValue<int>() >= 2);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/api/admin/users", user.Token)).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _api.GetAsync("/api/admin/users?role=root", admin)).Status);
    }

    [Fact]
    public async Task UpdateUser_Balance_IsALedgerAdjustmentNotAnOverwrite()
    {
        var user = await _api.CreateUserAsync();
        var admin = await SuperAdminTokenAsync();

        var up = await _api.PutAsync($"/api/admin/users/{user.Id}", new { balance = 100.00 }, admin);
        var down = await _api.PutAsync($"/api/admin/users/{user.Id}", new { balance = 40.25 }, admin);

        Assert.Equal(HttpStatusCode.OK, up.Status);
        Assert.Equal(HttpStatusCode.OK, down.Status);
        Assert.Equal(40.25m, (await _api.GetAsync("/api/users/me", user.Token)).Data["balance"]!.GetValue<decimal>());
        Assert.Equal(2L, await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'adjustment' AND created_by = '0f0f0f0f-0000-4000-8000-000000000001'", user.Id));
        Assert.Equal(-59.75m, await TestDatabase.ScalarAsync<decimal>(
            "SELECT amount FROM ledger_entries WHERE user_id = $1 ORDER BY id DESC LIMIT 1", user.Id));
        await Ledger.AssertConsistentAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _api.PutAsync($"/api/admin/users/{user.Id}", new { balance = -1 }, admin)).Status);
    }

    [Fact]
    public async Task UpdateUser_RoleChange_RevokesTokens_AndDeactivationBlocksLogin()
    {
        var user = await _api.CreateUserAsync();
        var admin = await SuperAdminTokenAsync();

        Assert.Equal(HttpStatusCode.OK, (await _api.PutAsync($"/api/admin/users/{user.Id}", new { role = "admin" }, admin)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/users/me", user.Token)).Status);
        var promoted = await _api.PostAsync("/api/auth/login", new { email = user.Email, password = user.Password });
        Assert.Equal("admin", promoted.Data["user"]!["role"]!.GetValue<string>());

        var adminToken = promoted.Data["access_token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await _api.PutAsync($"/api/admin/users/{user.Id}", new { is_active = false, role = "user" }, admin)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/users/me", adminToken)).Status);
        var blocked = await _api.PostAsync("/api/auth/login", new { email = user.Email, password = user.Password });
        Assert.Equal(HttpStatusCode.Forbidden, blocked.Status);
        Assert.Equal("ACCESS_DENIED", blocked.ErrorCode);
    }

    [Fact]
    public async Task UpdateUser_PlainAdmin_CannotChangeRolesOrEditAdmins_ButCanEditUsers()
    {
        var admin = await PromoteAsync(await _api.CreateUserAsync(), "admin");
        var otherAdmin = await PromoteAsync(await _api.CreateUserAsync(), "admin");
        var user = await _api.CreateUserAsync();

        var promote = await _api.PutAsync($"/api/admin/users/{user.Id}", new { role = "admin" }, admin.Token);
        var editAdmin = await _api.PutAsync($"/api/admin/users/{otherAdmin.Id}", new { full_name = "Renamed" }, admin.Token);
        var editUser = await _api.PutAsync($"/api/admin/users/{user.Id}", new { full_name = "Renamed by admin" }, admin.Token);

        Assert.Equal(HttpStatusCode.Forbidden, promote.Status);
        Assert.Equal(HttpStatusCode.Forbidden, editAdmin.Status);
        Assert.Equal(HttpStatusCode.OK, editUser.Status);
        Assert.Equal("Renamed by admin", editUser.Data["full_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateUser_SelfDemotionOrDeactivation_Is409()
    {
        var superAdmin = await PromoteAsync(await _api.CreateUserAsync(), "super_admin");

        var demote = await _api.PutAsync($"/api/admin/users/{superAdmin.Id}", new { role = "admin" }, superAdmin.Token);
        var deactivate = await _api.PutAsync($"/api/admin/users/{superAdmin.Id}", new { is_active = false }, superAdmin.Token);
        var rename = await _api.PutAsync($"/api/admin/users/{superAdmin.Id}", new { full_name = "Still me" }, superAdmin.Token);

        Assert.Equal(HttpStatusCode.Conflict, demote.Status);
        Assert.Equal("INVALID_STATE", demote.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, deactivate.Status);
        Assert.Equal(HttpStatusCode.OK, rename.Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.PutAsync($"/api/admin/users/{superAdmin.Id}", new { role = "user" }, await SuperAdminTokenAsync())).Status);
    }

    [Fact]
    public async Task UpdateUser_UnknownUser_Is404()
    {
        var call = await _api.PutAsync($"/api/admin/users/{Guid.NewGuid()}", new { full_name = "x" }, await SuperAdminTokenAsync());

        Assert.Equal(HttpStatusCode.NotFound, call.Status);
    }
}
