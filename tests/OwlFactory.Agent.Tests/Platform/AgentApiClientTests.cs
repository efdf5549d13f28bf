using System.Net;
using OwlFactory.Agent.Platform;
using OwlFactory.Agent.Telemetry;

namespace OwlFactory.Agent.Tests.Platform;

public sealed class AgentApiClientTests
{
    private static readonly HeartbeatRequest Beat = HeartbeatRequest.Create("1.0.0", ["test"], new TelemetrySnapshot(new HostSample(1, 2), []), []);

    [Fact]
    public async Task HeartbeatAsync_WithWait_PostsLongPollWithBearerToken()
    {
        using var platform = new FakePlatform
        {
            Respond = _ => FakePlatform.Envelope(HttpStatusCode.OK, """{"heartbeat_interval_seconds": 7, "assignments": [], "cancel": []}"""),
        };

        var (call, response) = await platform.CreateClient("tok-123", "http://platform.test/owl/").HeartbeatAsync(Beat, 20, CancellationToken.None);

        Assert.Equal(ApiCallStatus.Ok, call.Status);
        Assert.Equal(7, response!.HeartbeatIntervalSeconds);
        var sent = Assert.Single(platform.Calls);
        Assert.Equal("/owl/api/agent/heartbeat", sent.Path);
        Assert.Equal("?wait=20", sent.Query);
        Assert.Equal("Bearer tok-123", sent.Authorization);
        Assert.Equal("1.0.0", sent.Json.GetProperty("agent_version").GetString());
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, nameof(ApiCallStatus.Unauthorized))]
    [InlineData(HttpStatusCode.NotFound, nameof(ApiCallStatus.Gone))]
    [InlineData(HttpStatusCode.Conflict, nameof(ApiCallStatus.Gone))]
    [InlineData(HttpStatusCode.UnprocessableEntity, nameof(ApiCallStatus.Rejected))]
    [InlineData(HttpStatusCode.TooManyRequests, nameof(ApiCallStatus.Unavailable))]
    [InlineData(HttpStatusCode.InternalServerError, nameof(ApiCallStatus.Unavailable))]
    [InlineData(HttpStatusCode.ServiceUnavailable, nameof(ApiCallStatus.Unavailable))]
    public async Task CompleteTaskAsync_ErrorStatus_IsClassified(HttpStatusCode status, string expected)
    {
        using var platform = new FakePlatform { Respond = _ => FakePlatform.Envelope(status, "null", "INVALID_STATE") };

        var result = await platform.CreateClient().CompleteTaskAsync("t/1", new CompleteRequest([]), CancellationToken.None);

        Assert.Equal(Enum.Parse<ApiCallStatus>(expected), result.Status);
        Assert.Equal((int)status, result.HttpStatus);
        Assert.Equal("INVALID_STATE", result.Detail);
        Assert.Equal("/api/agent/tasks/t%2F1/complete", platform.Calls[0].Path);
    }

    [Fact]
    public async Task StartTaskAsync_ConnectionRefused_IsUnavailable()
    {
        using var platform = new FakePlatform { Respond = _ => throw new HttpRequestException("Connection refused") };

        var result = await platform.CreateClient().StartTaskAsync("t1", CancellationToken.None);

        Assert.Equal(ApiCallStatus.Unavailable, result.Status);
        Assert.Contains("Connection refused", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeartbeatAsync_AnswerWithoutData_IsRejected()
    {
        using var platform = new FakePlatform { Respond = _ => FakePlatform.Envelope(HttpStatusCode.OK, "null") };

        var (call, response) = await platform.CreateClient().HeartbeatAsync(Beat, 0, CancellationToken.None);

        Assert.Equal(ApiCallStatus.Rejected, call.Status);
        Assert.Null(response);
        Assert.Equal("", platform.Calls[0].Query);
    }
}
