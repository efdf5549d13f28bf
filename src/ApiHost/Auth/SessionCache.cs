using System.Collections.Concurrent;
using OwlFactory.Database.Notifications;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.ApiHost.Auth;

/// <summary>
/// Token revocation, seen from an API host: the sessions this host checked, kept until their account's next change is
/// announced (<see cref="AccountChanges"/>, heard by <see cref="AccountChangeListener"/>). A request whose account
/// is kept here makes no grain call; any change of the account (a password, a role, a deactivation, a balance)
/// drops it on every host at the change's commit, and nothing is kept while this host cannot hear announcements.
/// </summary>
internal sealed class SessionCache : IDisposable
{
    /// <summary>The longest a session is kept, announcements or not.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    // Reads in flight never last this long (a grain call gives up well before), so older tombstones can go.
    private static readonly TimeSpan SweepAge = TimeSpan.FromSeconds(30);

    // How long a revoking request waits to hear its own announcement before it answers.
    private static readonly TimeSpan RevocationWait = TimeSpan.FromSeconds(1);

    private const int Capacity = 200_000;

    private readonly CoherentCache<Guid, UserSession> _sessions;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _awaited = new();
    private readonly ITimer _sweeper;

    public SessionCache(TimeProvider clock)
    {
        _sessions = new CoherentCache<Guid, UserSession>(clock, MaxAge, Capacity);
        _sweeper = clock.CreateTimer(_ => _sessions.Sweep(SweepAge), null, SweepAge, SweepAge);
    }

    /// <summary>The session of <paramref name="userId"/>: kept here, or read from its grain (and kept when still current).</summary>
    public async ValueTask<UserSession?> GetAsync(Guid userId, IClusterClient client)
    {
        if (_sessions.Find(userId) is { } kept)
        {
            return kept;
        }

        var ticket = _sessions.BeginRead();
        var session = await client.GetGrain<IUserGrain>(userId).GetSessionAsync();
        if (session is not null)
        {
            _sessions.Keep(userId, session, session.Version, ticket);
        }

        return session;
    }

    /// <summary>
    /// Runs a change that revokes the account's tokens and answers once this host has heard it announced (or after a
    /// second): every host hears an announcement at the same commit, so by then none accepts the revoked tokens.
    /// </summary>
    public async Task<T> RevokeAsync<T>(Guid userId, Func<Task<T>> change, Func<T, bool> changed)
    {
        var heard = _awaited.GetOrAdd(userId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var result = await change();
        if (changed(result) && _sessions.IsLive)
        {
            try
            {
                await heard.Task.WaitAsync(RevocationWait);
            }
            catch (TimeoutException)
            {
                // Not heard here (this host's ear is slow or just lost): the others heard it at the same commit.
            }
        }

        return result;
    }

    /// <summary>This host changed the account itself: its next request reads the account afresh.</summary>
    public void ChangedHere(Guid userId) => _sessions.Changed(userId, 0);

    public void Heard(string payload)
    {
        if (AccountChanges.Read(payload) is not { } changes)
        {
            _sessions.ChangedAll();
            ReleaseAll();
            return;
        }

        foreach (var (id, version) in changes)
        {
            _sessions.Changed(id, version);
            if (_awaited.TryRemove(id, out var heard))
            {
                heard.TrySetResult();
            }
        }
    }

    public void GoLive() => _sessions.GoLive();

    public void GoDark()
    {
        _sessions.GoDark();
        ReleaseAll();
    }

    private void ReleaseAll()
    {
        foreach (var id in _awaited.Keys)
        {
            if (_awaited.TryRemove(id, out var heard))
            {
                heard.TrySetResult();
            }
        }
    }

    public void Dispose() => _sweeper.Dispose();
}
