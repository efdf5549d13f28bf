using System.Net;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>
/// The whole system as separate processes, the way <c>./owl run</c> starts it: silo process(es) and an API host on
/// the real PostgreSQL, talked to over real HTTP. Each fixture is its own cluster (its own cluster id).
/// </summary>
public class SystemFixture : IAsyncLifetime
{
    private readonly List<OwlProcess> _silos = [];
    private readonly string _clusterId = $"http-tests-{Guid.NewGuid():N}";
    private readonly int _apiPort = FreePort.Next();
    private readonly Dictionary<int, (int Silo, int Gateway)> _siloPorts = [];
    private OwlProcess? _api;

    protected virtual int SiloCount => 1;

    /// <summary>
    /// A database of its own (created and migrated here), or null for the shared test database. Two systems on one
    /// database would both activate the same accounts' grains (the bootstrap admin's, at least) and fight over their rows.
    /// </summary>
    protected virtual string? OwnDatabase => null;

    public string ConnectionString { get; protected set; } = TestDatabase.ConnectionString;

    public Uri BaseAddress => new($"http://127.0.0.1:{_apiPort}");

    /// <summary>The silo and gateway ports of this system's silos.</summary>
    public IEnumerable<int> SiloPorts => _siloPorts.Values.SelectMany(p => new[] { p.Silo, p.Gateway });

    /// <summary>This system's token signing key: random per fixture, as <c>./owl run</c> makes one per checkout.</summary>
    public string SigningKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));

    public virtual async Task InitializeAsync()
    {
        await PrepareDatabaseAsync();
        StartSilos();
        StartApi();
        await WaitReadyAsync(SiloCount);
        // A silo that has just joined may still answer 503 for a moment (the client's view of the cluster catches
        // up); that is the documented "try again", so the fixture retries before the tests begin.
        using var api = CreateClient();
        for (var attempt = 1; ; attempt++)
        {
            var login = await api.PostAsync("/api/auth/login", new { email = BootstrapAdmin.Email, password = BootstrapAdmin.Password });
            if (login.Status == HttpStatusCode.OK)
            {
                var admin = login.Data["access_token"]!.GetValue<string>();
                var config = await api.PutAsync("/api/admin/config", new { heartbeat_timeout_seconds = 3 }, admin);
                if (config.Status == HttpStatusCode.OK)
                {
                    await WaitForConfigAsync(config.Data["version"]!.GetValue<long>());
                    return;
                }
            }

            if (attempt == 40)
            {
                throw new InvalidOperationException("Could not sign in and set the test config: " + login + Environment.NewLine + Diagnostics());
            }

            await Task.Delay(250);
        }
    }

    public virtual Task DisposeAsync()
    {
        StopAll();
        return Task.CompletedTask;
    }

    /// <summary>Makes the database this system runs on ready and sets <see cref="ConnectionString"/> to it.</summary>
    protected virtual async Task PrepareDatabaseAsync()
    {
        if (OwnDatabase is { } name)
        {
            ConnectionString = await TestDatabase.CreateAsync(name);
        }
        else
        {
            await TestDatabase.EnsureMigratedAsync();
        }
    }

    /// <summary>
    /// Waits until every silo has applied config <paramref name="version"/> or a later one: each silo's copy follows the
    /// config grain by a long poll, and logs each version it applies.
    /// </summary>
    public Task WaitForConfigAsync(long version)
        => Poll.UntilAsync(
            () => Task.FromResult(_silos.Count(s => s.Printed(line => AppliedConfigVersion(line) >= version))),
            applied => applied == _silos.Count, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20),
            applied => $"{applied} of {_silos.Count} silos applied config version {version}" + Environment.NewLine + Diagnostics());

    /// <summary>The version in SystemConfigCache's "Applied system config version N" line; -1 for any other line.</summary>
    private static long AppliedConfigVersion(string line)
    {
        const string applied = "Applied system config version ";
        var at = line.IndexOf(applied, StringComparison.Ordinal);
        return at >= 0 && long.TryParse(line.AsSpan(at + applied.Length).Trim(), System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : -1;
    }

    /// <summary>An HTTP client that looks like its own client to the per-client rate limits (a forwarded address from a trusted local proxy).</summary>
    public OwlApiClient CreateClient() => new(new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) });

    public void KillSilos()
    {
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        _silos.Clear();
    }

    /// <summary>Ends one silo: with SIGKILL (a crash) or SIGTERM (an orderly stop, waited for).</summary>
    public async Task StopSiloAsync(int index, bool graceful)
    {
        var silo = _silos[index];
        if (graceful)
        {
            silo.Terminate();
            await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        silo.Dispose();
    }

    public void StopAll()
    {
        _api?.Dispose();
        _api = null;
        KillSilos();
    }

    /// <summary>Stops every process with SIGTERM, as an operator would: silos leave the membership table cleanly.</summary>
    public async Task ShutDownAllAsync()
    {
        foreach (var process in _silos.Append(_api).OfType<OwlProcess>())
        {
            process.Terminate();
        }

        foreach (var process in _silos.Append(_api).OfType<OwlProcess>())
        {
            await process.WaitForExitAsync(TimeSpan.FromSeconds(20));
        }

        StopAll();
    }

    public async Task RestartAllAsync()
    {
        StopAll();
        StartSilos();
        StartApi();
        await WaitReadyAsync(SiloCount);
    }

    public void StartSilos()
    {
        for (var i = 0; i < SiloCount; i++)
        {
            _silos.Add(StartSiloProcess(i));
        }
    }

    /// <summary>Starts silo <paramref name="index"/> again after <see cref="StopSiloAsync"/> ended it.</summary>
    public void RestartSilo(int index) => _silos[index] = StartSiloProcess(index);

    private OwlProcess StartSiloProcess(int i)
    {
        // A restarted silo comes back on its own endpoint, as a deployed one does: Orleans then retires the
        // killed generation at once instead of waiting for the dead silo to be voted out.
        if (!_siloPorts.TryGetValue(i, out var ports))
        {
            _siloPorts[i] = ports = (FreePort.Next(), FreePort.Next());
        }

        return OwlProcess.Start("Silo", $"silo-{i}", ProcessEnvironment(new()
        {
            ["Owl__Cluster__SiloPort"] = ports.Silo.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Owl__Cluster__GatewayPort"] = ports.Gateway.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
    }

    public async Task WaitReadyAsync(int silos)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await http.GetAsync("/api/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var json = await response.ReadJsonAsync();
                    if (json["data"]!["active_silos"]!.GetValue<int>() >= silos)
                    {
                        return;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            if (_api is { HasExited: true } || _silos.Any(s => s.HasExited))
            {
                break;
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException("The system did not become ready." + Environment.NewLine + Diagnostics());
    }

    public string Diagnostics()
        => string.Join(Environment.NewLine, _silos.Append(_api).OfType<OwlProcess>().Select(p => $"--- {p.Name}{Environment.NewLine}{p.RecentOutput}"));

    public void StartApi()
        => _api = OwlProcess.Start("ApiHost", "api", ProcessEnvironment(new()
        {
            ["Urls"] = BaseAddress.ToString().TrimEnd('/'),
        }));

    /// <summary>
    /// A further API host of this system on its own port (the caller stops it), with optional settings of its own; a
    /// setting given as null is left out of the process's environment.
    /// </summary>
    public OwlProcess StartExtraApi(Uri address, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var environment = ProcessEnvironment(new() { ["Urls"] = address.ToString().TrimEnd('/') });
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                environment.Remove(key);
            }
            else
            {
                environment[key] = value;
            }
        }

        return OwlProcess.Start("ApiHost", "api-extra", environment);
    }

    private Dictionary<string, string> ProcessEnvironment(Dictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Owl"] = ConnectionString,
            ["Owl__Cluster__ClusterId"] = _clusterId,
            ["Owl__Cluster__ServiceId"] = "owl-http-tests",
            ["Owl__Database__MigrateOnStart"] = "false",
            // Fast heartbeats, so offline detection can be watched within a test (the timeout is live config, set below).
            ["Owl__Fleet__HeartbeatIntervalSeconds"] = "1",
            ["Owl__Auth__SigningKey"] = SigningKey,
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }
}

[CollectionDefinition(Name)]
public sealed class SystemGroup : ICollectionFixture<SystemFixture>
{
    public const string Name = "system";
}
