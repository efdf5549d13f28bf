using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using OwlFactory.Agent.Configuration;

namespace OwlFactory.Agent.Platform;

/// <summary>
/// The agent's side of the platform API: one attempt per call, its answer classified (<see cref="ApiCallStatus"/>);
/// callers decide whether and when to retry. Never throws for HTTP or transport failures.
/// </summary>
internal sealed class AgentApiClient
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);
    private readonly HttpClient _http;
    private readonly IOptionsMonitor<AgentOptions> _options;

    /// <summary>Takes a client whose BaseAddress is the API's root (with a trailing slash), with no timeout of its own.</summary>
    public AgentApiClient(HttpClient http, IOptionsMonitor<AgentOptions> options)
    {
        _http = http;
        _options = options;
    }

    /// <summary>Makes the HttpClient for <paramref name="apiUrl"/>.</summary>
    public static HttpClient CreateHttpClient(string apiUrl)
    {
        var handler = new SocketsHttpHandler
        {
            // New connections now and then, so a moved API (DNS, a load balancer) is found again.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        return new HttpClient(handler)
        {
            BaseAddress = Uri.TryCreate(apiUrl.TrimEnd('/') + "/", UriKind.Absolute, out var root) ? root : null,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>A heartbeat; <paramref name="waitSeconds"/> &gt; 0 asks the platform to hold it until work comes (long poll).</summary>
    public async Task<(ApiCallResult Call, HeartbeatResponse? Response)> HeartbeatAsync(
        HeartbeatRequest request, int waitSeconds, CancellationToken cancellationToken)
    {
        var path = waitSeconds > 0
            ? string.Create(CultureInfo.InvariantCulture, $"api/agent/heartbeat?wait={waitSeconds}")
            : "api/agent/heartbeat";
        using var content = Json(request, AgentJsonContext.Default.HeartbeatRequest);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout + TimeSpan.FromSeconds(waitSeconds));
        try
        {
            using var response = await SendAsync(path, content, timeout.Token);
            var call = await ClassifyAsync(response, timeout.Token);
            if (call.Status != ApiCallStatus.Ok)
            {
                return (call, null);
            }

            var envelope = await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.ApiEnvelopeHeartbeatResponse, timeout.Token);
            return envelope?.Data is { } data
                ? (call, data)
                : (new ApiCallResult(ApiCallStatus.Rejected, (int)response.StatusCode, "heartbeat answer without data"), null);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            return (Unavailable(ex), null);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return (new ApiCallResult(ApiCallStatus.Rejected, null, "unreadable heartbeat answer: " + ex.Message), null);
        }
    }

    public Task<ApiCallResult> StartTaskAsync(string taskId, CancellationToken cancellationToken) =>
        PostTaskAsync(taskId, "start", new StringContent("{}", Encoding.UTF8, "application/json"), cancellationToken);

    public Task<ApiCallResult> ReportProgressAsync(string taskId, double progress, CancellationToken cancellationToken) =>
        PostTaskAsync(taskId, "progress", Json(new ProgressRequest(progress), AgentJsonContext.Default.ProgressRequest), cancellationToken);

    public Task<ApiCallResult> AppendLogsAsync(string taskId, IReadOnlyList<TaskLogEntry> lines, CancellationToken cancellationToken) =>
        PostTaskAsync(taskId, "logs", Json(new LogsRequest(lines), AgentJsonContext.Default.LogsRequest), cancellationToken);

    public Task<ApiCallResult> CompleteTaskAsync(string taskId, CompleteRequest request, CancellationToken cancellationToken) =>
        PostTaskAsync(taskId, "complete", Json(request, AgentJsonContext.Default.CompleteRequest), cancellationToken);

    public Task<ApiCallResult> FailTaskAsync(string taskId, string errorMessage, CancellationToken cancellationToken) =>
        PostTaskAsync(taskId, "fail", Json(new FailRequest(errorMessage), AgentJsonContext.Default.FailRequest), cancellationToken);

    private async Task<ApiCallResult> PostTaskAsync(string taskId, string action, HttpContent content, CancellationToken cancellationToken)
    {
        using var body = content;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            using var response = await SendAsync($"api/agent/tasks/{Uri.EscapeDataString(taskId)}/{action}", body, timeout.Token);
            return await ClassifyAsync(response, timeout.Token);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            return Unavailable(ex);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string path, HttpContent content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        // Read on every call: a token fixed in the config file applies without a restart.
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.CurrentValue.Token);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private static async Task<ApiCallResult> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        var status = code switch
        {
            >= 200 and < 300 => ApiCallStatus.Ok,
            (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden => ApiCallStatus.Unauthorized,
            (int)HttpStatusCode.NotFound or (int)HttpStatusCode.Conflict => ApiCallStatus.Gone,
            (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500 => ApiCallStatus.Unavailable,
            _ => ApiCallStatus.Rejected,
        };
        return status == ApiCallStatus.Ok
            ? new ApiCallResult(status, code)
            : new ApiCallResult(status, code, await ReadErrorAsync(response, cancellationToken));
    }

    /// <summary>The envelope's error_code (or message) of an error answer, for the log.</summary>
    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var envelope = await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.ApiEnvelopeJsonElement, cancellationToken);
            return envelope?.ErrorCode ?? envelope?.Message;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or HttpRequestException or IOException)
        {
            return null;
        }
    }

    private static StringContent Json<T>(T value, JsonTypeInfo<T> typeInfo) =>
        new(JsonSerializer.Serialize(value, typeInfo), Encoding.UTF8, "application/json");

    /// <summary>A failure to reach the API, as opposed to the caller giving up (its token cancelled).</summary>
    private static bool IsTransportFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static ApiCallResult Unavailable(Exception ex) => new(
        ApiCallStatus.Unavailable,
        null,
        ex is OperationCanceledException ? "timed out" : ex.GetBaseException().Message);
}
