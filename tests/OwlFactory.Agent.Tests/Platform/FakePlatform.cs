using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OwlFactory.Agent.Configuration;
using OwlFactory.Agent.Platform;

namespace OwlFactory.Agent.Tests.Platform;

/// <summary>An in-memory stand-in for the platform's agent API: records every call and answers as told.</summary>
internal sealed class FakePlatform : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private readonly List<RecordedCall> _calls = [];

    /// <summary>Answers a call; null means 200 with an empty success envelope. May throw to fake a transport error.</summary>
    public Func<RecordedCall, HttpResponseMessage?> Respond { get; set; } = _ => null;

    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<RecordedCall> CallsTo(string suffix) => [.. Calls.Where(c => c.Path.EndsWith(suffix, StringComparison.Ordinal))];

    public AgentApiClient CreateClient(string token = "agent-token", string baseAddress = "http://platform.test/") =>
        new(new HttpClient(this, disposeHandler: false) { BaseAddress = new Uri(baseAddress) }, new FixedOptionsMonitor(new AgentOptions { Token = token }));

    public static HttpResponseMessage Envelope(HttpStatusCode status, string dataJson, string? errorCode = null) => new(status)
    {
        Content = new StringContent(
            $$"""{"success": {{(errorCode is null ? "true" : "false")}}, "message": "m", "data": {{dataJson}}, "error_code": {{(errorCode is null ? "null" : JsonSerializer.Serialize(errorCode))}}}""",
            Encoding.UTF8,
            "application/json"),
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var call = new RecordedCall(request.RequestUri!.AbsolutePath, request.RequestUri.Query, body, request.Headers.Authorization?.ToString());
        lock (_gate)
        {
            _calls.Add(call);
        }

        return Respond(call) ?? Envelope(HttpStatusCode.OK, "null");
    }

    internal sealed record RecordedCall(string Path, string Query, string Body, string? Authorization)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    private sealed class FixedOptionsMonitor(AgentOptions value) : IOptionsMonitor<AgentOptions>
    {
        public AgentOptions CurrentValue => value;

        public AgentOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<AgentOptions, string?> listener) => null;
    }
}
