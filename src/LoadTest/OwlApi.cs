using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OwlFactory.LoadTest;

/// <summary>Thin HTTP helpers for setting up load runs: accounts, tokens, admin calls.</summary>
internal sealed class OwlApi(Uri baseAddress)
{
    private static int _clientNumber;

    /// <summary>
    /// A client with its own forwarded address (trusted from loopback), so per-client rate limits see many clients,
    /// as they would in production. The address is only a header value; traffic goes to the API's loopback URL.
    /// <paramref name="connections"/>: how many requests it may have in flight at once.
    /// </summary>
    public HttpClient NewClient(int connections = 1)
    {
        var n = Interlocked.Increment(ref _clientNumber);
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", $"2001:db8::{n / 65536:x}:{n % 65536:x}");
        return http;
    }

    public static async Task<string> LoginAsync(HttpClient http, string email, string password)
    {
        var response = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["data"]!["access_token"]!.GetValue<string>();
    }

    /// <summary>Registers a fresh account and returns a client already carrying its token.</summary>
    public async Task<HttpClient> NewUserClientAsync()
    {
        var http = NewClient();
        var name = "load" + Guid.NewGuid().ToString("N")[..16];
        var response = await http.PostAsJsonAsync("/api/auth/register",
            new { email = $"{name}@load.test", username = name, password = "load-test-password" });
        response.EnsureSuccessStatusCode();
        var token = await LoginAsync(http, $"{name}@load.test", "load-test-password");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task<HttpClient> AdminClientAsync(string email, string password)
    {
        var http = NewClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await LoginAsync(http, email, password));
        return http;
    }
}
