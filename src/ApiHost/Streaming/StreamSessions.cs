using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using OwlFactory.ApiHost.Auth;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.ApiHost.Streaming;

/// <summary>
/// The open Server-Sent Event streams of this API host: at most <see cref="StreamSettings.MaxPerUser"/> per account,
/// each one ended as soon as a periodic check finds its session revoked (password change, deactivation, role change),
/// the same check a request's token goes through.
/// </summary>
public sealed partial class StreamSessions(IClusterClient client, IOptions<StreamSettings> options, ILogger<StreamSessions> logger)
{
    private readonly ConcurrentDictionary<Guid, int> _open = new();

    public int MaxPerUser => options.Value.MaxPerUser;

    /// <summary>A lease for one more stream of the request's account, or null when it already holds the most it may.</summary>
    public StreamLease? TryOpen(HttpContext http)
    {
        var user = http.User;
        var userId = user.GetUserId();
        while (true)
        {
            var count = _open.GetOrAdd(userId, 0);
            if (count >= MaxPerUser)
            {
                return null;
            }

            if (_open.TryUpdate(userId, count + 1, count))
            {
                break;
            }
        }

        var lease = new StreamLease(this, userId, user.FindFirstValue(OwlClaims.Role) ?? "",
            int.TryParse(user.FindFirstValue(OwlClaims.TokenVersion), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1,
            TimeSpan.FromSeconds(options.Value.SessionCheckSeconds), http.RequestAborted);
        http.Response.RegisterForDispose(lease);
        return lease;
    }

    internal void Release(Guid userId)
    {
        while (_open.TryGetValue(userId, out var count))
        {
            if (count <= 1 ? _open.TryRemove(new KeyValuePair<Guid, int>(userId, count)) : _open.TryUpdate(userId, count - 1, count))
            {
                return;
            }
        }
    }

    /// <summary>False only when the account's grain says the session is over; an unreachable grain keeps the stream.</summary>
    internal async Task<bool> StillValidAsync(Guid userId, string role, int version)
    {
        try
        {
            var session = await client.Reference<IUserGrain>(userId).GetSessionAsync();
            return session is not null && session.IsActive && session.TokenVersion == version
                && string.Equals(session.Role, role, StringComparison.Ordinal);
        }
        catch (Exception e) when (Http.ApiExceptionHandler.IsUnavailable(e))
        {
            LogCheckFailed(userId, e.Message);
            return true;
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Could not re-check the session of an open stream of {UserId}: {Reason}")]
    private partial void LogCheckFailed(Guid userId, string reason);
}
