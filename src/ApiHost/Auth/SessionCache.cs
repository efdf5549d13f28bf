using System.Collections.Concurrent;
using OwlFactory.Database.Notifications;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.ApiHost.Auth;

/// <summary>
/// Token revocation, seen from an API host: the sessions this host checked, kept until their account's next change is
/// announced (<see cref="AccountChanges"/>, heard by <see cref="AccountChangeListener"/>), so a request whose account
/// is kept here makes no grain call for its token. Two copies, dropped by different changes:
/// <list type="bullet">
/// <item>for the token check: dropped by a change that revokes tokens (password, role, active flag), so a user's own
/// submits and redemptions do not cost their next request a grain call;</item>
/// <item>for the profile (<c>GET /api/users/me</c>): dropped by every change, balance included.</item>
/// </list>
/// A change is heard on every host at its commit; nothing is kept while this host cannot hear announcements.
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

    private readonly CoherentCache<Guid, UserSession> _tokens;
    private readonly CoherentCache<Guid, UserSession> _profiles;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _awaited = new();
    private readonly ITimer _sweeper;

    public SessionCache(TimeProvider clock)
    {
        _tokens = new CoherentCache<Guid, UserSession>(clock, MaxAge, Capacity);
        _profiles = new CoherentCache<Guid, UserSession>(clock, MaxAge, Capacity);
        _sweeper = clock.CreateTimer(_ =>
        {
            _tokens.Sweep(SweepAge);
            _profiles.Sweep(SweepAge);
        }, null, SweepAge, SweepAge);
    }

    /// <summary>
    /// What a token of <paramref name="userId"/> is checked against; <c>ProfileIsCurrent</c> says whether its profile
    /// may be shown too (no change of the account was heard since it was read).
    /// </summary>
    public async ValueTask<(UserSession? Session, bool ProfileIsCurrent)> CheckAsync(Guid userId, IClusterClient client)
    {
        if (_profiles.Find(userId) is { } current)
        {
            return (current, true);
        }

        if (_tokens.Find(userId) is { } valid)
        {
            return (valid, false);
        }

        return (await ReadAsync(userId, client), true);
    }

    /// <summary>The account's profile as of the last change heard: kept here, or read from its grain.</summary>
    public async ValueTask<UserProfile?> GetProfileAsync(Guid userId, IClusterClient client)
        => (_profiles.Find(userId) ?? await ReadAsync(userId, client))?.Profile;

    private async Task<UserSession?> ReadAsync(Guid userId, IClusterClient client)
    {
        var tokenTicket = _tokens.BeginRead();
        var profileTicket = _profiles.BeginRead();
        var session = await client.Reference<IUserGrain>(userId).GetSessionAsync();
        if (session is not null)
        {
            _tokens.Keep(userId, session, session.Version, tokenTicket);
            _profiles.Keep(userId, session, session.Version, profileTicket);
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
        if (changed(result) && _tokens.IsLive)
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

    /// <summary>This host changed the account itself: its next profile is read afresh, whenever the announcement comes.</summary>
    public void ChangedHere(Guid userId) => _profiles.Changed(userId, 0);

    public void Heard(string payload)
    {
        if (AccountChanges.Read(payload) is not { } changes)
        {
            _tokens.ChangedAll();
            _profiles.ChangedAll();
            ReleaseAll();
            return;
        }

        foreach (var (id, version, revokes) in changes)
        {
            _profiles.Changed(id, version);
            if (revokes)
            {
                _tokens.Changed(id, version);
                if (_awaited.TryRemove(id, out var heard))
                {
                    heard.TrySetResult();
                }
            }
        }
    }

    public void GoLive()
    {
        _tokens.GoLive();
        _profiles.GoLive();
    }

    public void GoDark()
    {
        _tokens.GoDark();
        _profiles.GoDark();
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
