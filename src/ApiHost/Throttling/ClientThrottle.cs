using Microsoft.Extensions.Options;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Throttling;

namespace OwlFactory.ApiHost.Throttling;

/// <summary>
/// Per-client limits kept in throttle grains, so every API host sees the same count. The client is the remote
/// address after forwarded headers from trusted proxies are applied. A limited action takes a place before it runs
/// (one atomic grain call) and gives it back afterwards unless it failed, so a burst of parallel attempts cannot get
/// past the limit.
/// </summary>
public sealed class ClientThrottle(IClusterClient client, IOptions<RateLimitSettings> options)
{
    public int WindowSeconds => options.Value.WindowSeconds;

    /// <summary>A login attempt's place, or null when the client has used up its failures.</summary>
    public Task<ThrottledAttempt?> BeginLoginAsync(HttpContext http)
        => BeginAsync(Grain("login-failure", http), options.Value.LoginFailures);

    public Task<bool> TryRegisterAsync(HttpContext http)
        => Grain("register", http).TryAcquireAsync(options.Value.Registrations, WindowSeconds);

    /// <summary>
    /// The limit on a user's refused redemptions, which the code's grain applies (the place is taken in the silo, so a
    /// redemption costs the API host one grain call). They count per user: guessing codes needs an account, and a user
    /// may sit behind many addresses.
    /// </summary>
    public FailureLimit RedeemLimit => new(options.Value.RedeemFailures, WindowSeconds);

    /// <summary>
    /// Counts a redemption refused before any code's grain was asked (input that cannot be a code); false when the user
    /// had already used up their refusals.
    /// </summary>
    public async Task<bool> CountRedeemRefusalAsync(Guid userId)
    {
        var attempt = await BeginAsync(client.Reference<IThrottleGrain>(FailureLimit.RedeemFailuresKey(userId)), options.Value.RedeemFailures);
        if (attempt is null)
        {
            return false;
        }

        await attempt.EndAsync(failed: true);
        return true;
    }

    private Task<ThrottledAttempt?> BeginAsync(IThrottleGrain grain, int limit) => ThrottledAttempt.BeginAsync(grain, limit, WindowSeconds);

    private IThrottleGrain Grain(string bucket, HttpContext http)
        => client.Reference<IThrottleGrain>($"{bucket}:{http.Connection.RemoteIpAddress?.ToString() ?? "unknown"}");
}
