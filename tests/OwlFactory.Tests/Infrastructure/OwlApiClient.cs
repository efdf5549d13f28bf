using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>
/// Talks to the ApiHost over real HTTP. Each instance presents its own client address through X-Forwarded-For
/// (the API trusts it from loopback, as behind a local reverse proxy), so per-client rate limits of one test do not
/// spill into another.
/// </summary>
public sealed class OwlApiClient : IDisposable
{
    private readonly HttpClient _http;

    public OwlApiClient(HttpClient http)
    {
        _http = http;
        // A random address in the IPv6 documentation prefix: only a header value, never a destination.
        ClientAddress = $"2001:db8::{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}";
        _http.DefaultRequestHeaders.Add("X-Forwarded-For", ClientAddress);
    }

    public string ClientAddress { get; }

    public Task<ApiCall> GetAsync(string path, string? token = null) => SendAsync(HttpMethod.Get, path, null, token);

    public Task<ApiCall> PostAsync(string path, object? body, string? token = null) => SendAsync(HttpMethod.Post, path, body, token);

    public Task<ApiCall> PutAsync(string path, object? body, string? token = null) => SendAsync(HttpMethod.Put, path, body, token);

    public Task<ApiCall> PostRawAsync(string path, string rawJson, string? token = null)
        => SendAsync(HttpMethod.Post, path, new StringContent(rawJson, Encoding.UTF8, "application/json"), token);

    public Task<ApiCall> SendWithHeaderAsync(string path, object body, string token, string header, string value)
        => SendAsync(HttpMethod.Post, path, body, token, (header, value));

    public async Task<ApiCall> SendAsync(HttpMethod method, string path, object? body, string? token, (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (header is { } h)
        {
            request.Headers.Add(h.Name, h.Value);
        }

        request.Content = body switch
        {
            null => null,
            HttpContent content => content,
            _ => JsonContent.Create(body),
        };
        // A large body waits for the server's go-ahead, so a refusal (413) is read instead of a reset mid-upload.
        request.Headers.ExpectContinue = request.Content?.Headers.ContentLength > 64 * 1024;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
        return new ApiCall(response.StatusCode, json);
    }

    /// <summary>Registers a fresh account and signs it in.</summary>
    public async Task<TestUser> CreateUserAsync(string password = "secret-pass-1")
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..16];
        var email = $"{name}@example.test";
        var register = await PostAsync("/api/auth/register", new { email, username = name, password, full_name = "Test User" });
        if (register.Status != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException("Registration failed: " + register);
        }

        var token = await LoginAsync(email, password);
        return new TestUser(Guid.Parse(register.Data["id"]!.GetValue<string>()), email, name, password, token);
    }

    public async Task<string> LoginAsync(string email, string password)
    {
        var login = await PostAsync("/api/auth/login", new { email, password });
        if (login.Status != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException("Login failed: " + login);
        }

        return login.Data["access_token"]!.GetValue<string>();
    }

    /// <summary>Signs in as the bootstrap super_admin.</summary>
    public Task<string> LoginAdminAsync() => LoginAsync(BootstrapAdmin.Email, BootstrapAdmin.Password);

    public void Dispose() => _http.Dispose();
}
