using System.Net;
using OwlFactory.Database;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>
/// <c>./owl run --api-hosts 2</c> in small: a silo and two API hosts behind the nginx front door, on a PostgreSQL
/// server of their own that a test may crash (<see cref="Postgres"/>). The second API host is the one tests stop.
/// </summary>
public sealed class FrontDoorSystemFixture : SystemFixture
{
    private readonly Uri _secondApi = new($"http://127.0.0.1:{FreePort.Next()}");
    private PrivatePostgres? _postgres;
    private FrontDoor? _frontDoor;
    private OwlProcess? _second;

    public PrivatePostgres Postgres => _postgres ?? throw new InvalidOperationException("Not started");

    public FrontDoor FrontDoor => _frontDoor ?? throw new InvalidOperationException("Not started");

    public OwlProcess SecondApi => _second ?? throw new InvalidOperationException("Not started");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _frontDoor = await FrontDoor.StartAsync([BaseAddress.Port, _secondApi.Port]);
        await RestartSecondApiAsync();
    }

    /// <summary>Starts the second API host (again) and waits until it is ready.</summary>
    public async Task RestartSecondApiAsync()
    {
        _second?.Dispose();
        _second = StartExtraApi(_secondApi);
        using var http = new HttpClient { BaseAddress = _secondApi, Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < 240; attempt++)
        {
            try
            {
                if ((await http.GetAsync("/api/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException("The second API host did not become ready: " + _second.RecentOutput);
    }

    public override async Task DisposeAsync()
    {
        _second?.Dispose();
        _frontDoor?.Dispose();
        await base.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    protected override async Task PrepareDatabaseAsync()
    {
        _postgres = await PrivatePostgres.CreateAsync();
        ConnectionString = _postgres.ConnectionString("postgres");
        await DatabaseMigrator.MigrateAsync(ConnectionString, logToConsole: false);
    }
}

[CollectionDefinition(Name)]
public sealed class FrontDoorGroup : ICollectionFixture<FrontDoorSystemFixture>
{
    public const string Name = "front door";
}
