using System.Net;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

[Collection(SystemGroup.Name)]
public sealed class AuthHttpTests(SystemFixture system) : IDisposable
{
    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    private static object NewRegistration(string? email = null, string? username = null)
    {
        var name = "h" + Guid.NewGuid().ToString("N")[..12];
        return new { email = email ?? $"{name}@example.test", username = username ?? name, password = "password123", full_name = "新用户" };
    }

    [Fact]
    public async Task Register_ValidBody_Returns201WithTheNewUserInTheEnvelope()
    {
        var name = "h" + Guid.NewGuid().ToString("N")[..12];

        var call = await _api.PostAsync("/api/auth/register",
            new { email = $"{name}@Example.test", username = name, password = "password123", full_name = "新用户" });

        Assert.Equal(HttpStatusCode.Created, call.Status);
        Assert.True(call.Body["success"]!.GetValue<bool>());
        Assert.Null(call.Body["error_code"]);
        var user = call.Data;
        Assert.True(Guid.TryParse(user["id"]!.GetValue<string>(), out _));
        Assert.Equal($"{name}@Example.test", user["email"]!.GetValue<string>());
        Assert.Equal(name, user["username"]!.GetValue<string>());
        Assert.Equal("新用户", user["full_name"]!.GetValue<string>());
        Assert.Equal("user", user["role"]!.GetValue<string>());
        Assert.Equal(0m, user["balance"]!.GetValue<decimal>());
        Assert.Equal(0, user["total_tasks"]!.GetValue<int>());
        Assert.EndsWith("Z", user["created_at"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(user["password_hash"]);
        Assert.Null(user["password"]);
    }

    [Theory]
    [InlineData("email", "not-an-email")]
    [InlineData("email", "")]
    [InlineData("username", "ab")]
    [InlineData("username", "has space")]
    [InlineData("username", "ünïcode")]
    [InlineData("password", "12345")]
    [InlineData("full_name", "x")]
    public async Task Register_InvalidField_Returns422WithThatFieldError(string field, string value)
    {
        var body = new Dictionary<string, object?>
        {
            ["email"] = $"v{Guid.NewGuid():N}@example.test",
            ["username"] = "v" + Guid.NewGuid().ToString("N")[..12],
            ["password"] = "password123",
            ["full_name"] = "ok",
        };
        body[field] = field == "full_name" ? new string('x', 101) : value;

        var call = await _api.PostAsync("/api/auth/register", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.False(call.Body["success"]!.GetValue<bool>());
        Assert.Equal("VALIDATION_ERROR", call.ErrorCode);
        var errors = call.Body["details"]!["field_errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), call.ToString());
        Assert.Single(errors);
    }

    [Fact]
    public async Task Register_MissingFields_ReportsEveryMissingField()
    {
        var call = await _api.PostRawAsync("/api/auth/register", "{}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        var errors = call.Body["details"]!["field_errors"]!.AsObject();
        Assert.Equal(["email", "password", "username"], errors.Select(e => e.Key).Order().ToArray());
    }

    [Theory]
    [InlineData("{\"email\": ")]
    [InlineData("not json at all")]
    [InlineData("{\"email\": 42, \"username\": \"abc\", \"password\": \"password123\"}")]
    public async Task Register_MalformedJsonOrWrongType_Returns422(string raw)
    {
        var call = await _api.PostRawAsync("/api/auth/register", raw);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("VALIDATION_ERROR", call.ErrorCode);
        Assert.NotNull(call.Body["details"]!["field_errors"]);
    }

    [Fact]
    public async Task Register_BodyOverOneMebibyte_Returns413()
    {
        var call = await _api.PostRawAsync("/api/auth/register",
            $"{{\"email\":\"a@b.c\",\"username\":\"abc\",\"password\":\"password123\",\"full_name\":\"{new string('x', 1_100_000)}\"}}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, call.Status);
        Assert.Equal("PAYLOAD_TOO_LARGE", call.ErrorCode);
    }

    [Fact]
    public async Task Register_EmailTakenInAnotherCase_Returns409Conflict()
    {
        var name = "d" + Guid.NewGuid().ToString("N")[..12];
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/auth/register", NewRegistration($"{name}@example.test"))).Status);

        var call = await _api.PostAsync("/api/auth/register", NewRegistration($"{name.ToUpperInvariant()}@EXAMPLE.test"));

        Assert.Equal(HttpStatusCode.Conflict, call.Status);
        Assert.Equal("RESOURCE_CONFLICT", call.ErrorCode);
        Assert.Equal("email", call.Body["details"]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Register_UsernameTaken_Returns409Conflict()
    {
        var name = "d" + Guid.NewGuid().ToString("N")[..12];
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/auth/register", NewRegistration(username: name))).Status);

        var call = await _api.PostAsync("/api/auth/register", NewRegistration(username: name.ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.Conflict, call.Status);
        Assert.Equal("username", call.Body["details"]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Register_TenParallelRequestsForOneEmail_ExactlyOneCreated()
    {
        var email = $"p{Guid.NewGuid():N}@example.test";

        var calls = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _api.PostAsync("/api/auth/register", NewRegistration(email))));

        Assert.Single(calls, c => c.Status == HttpStatusCode.Created);
        Assert.Equal(9, calls.Count(c => c.Status == HttpStatusCode.Conflict && c.ErrorCode == "RESOURCE_CONFLICT"));
    }

    [Fact]
    public async Task Login_ValidCredentials_ReturnsTheContractsTokenShape()
    {
        var user = await _api.CreateUserAsync();

        var call = await _api.PostAsync("/api/auth/login", new { email = user.Email.ToUpperInvariant(), password = user.Password });

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.True(call.Body["success"]!.GetValue<bool>());
        Assert.Equal("bearer", call.Data["token_type"]!.GetValue<string>());
        Assert.Equal(1800, call.Data["expires_in"]!.GetValue<int>());
        Assert.Equal(3, call.Data["access_token"]!.GetValue<string>().Split('.').Length);
        var summary = call.Data["user"]!;
        Assert.Equal(user.Id.ToString(), summary["id"]!.GetValue<string>());
        Assert.Equal(user.Email, summary["email"]!.GetValue<string>());
        Assert.Equal(user.Username, summary["username"]!.GetValue<string>());
        Assert.Equal("user", summary["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Login_WrongPasswordAndUnknownEmail_AnswerIdentically()
    {
        var user = await _api.CreateUserAsync();

        var wrong = await _api.PostAsync("/api/auth/login", new { email = user.Email, password = "wrong-password" });
        var unknown = await _api.PostAsync("/api/auth/login", new { email = $"nobody{Guid.NewGuid():N}@example.test", password = "wrong-password" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal("INVALID_CREDENTIALS", wrong.ErrorCode);
        Assert.Equal(wrong.Status, unknown.Status);
        Assert.Equal(wrong.Body.ToJsonString(), unknown.Body.ToJsonString());
    }

    [Fact]
    public async Task Login_TooManyFailuresFromOneClient_Returns429EvenForTheRightPassword()
    {
        var user = await _api.CreateUserAsync();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync("/api/auth/login", new { email = user.Email, password = "wrong" })).Status);
        }

        var blocked = await _api.PostAsync("/api/auth/login", new { email = user.Email, password = user.Password });
        using var otherClient = system.CreateClient();
        var fromElsewhere = await otherClient.PostAsync("/api/auth/login", new { email = user.Email, password = user.Password });

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.Status);
        Assert.Equal("RATE_LIMITED", blocked.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, fromElsewhere.Status);
    }

    [Fact]
    public async Task Login_BootstrapAdminFromTheContractExample_IsSuperAdmin()
    {
        var call = await _api.PostAsync("/api/auth/login", new { email = BootstrapAdmin.Email, password = BootstrapAdmin.Password });

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal("super_admin", call.Data["user"]!["role"]!.GetValue<string>());
    }
}
