using Microsoft.Extensions.Options;
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
    /// A redemption attempt's place, or null when the user has used up their failures. Redemption failures count per
    /// user: guessing codes needs an account, and a user may sit behind many addresses.
    /// </summary>
    public Task<ThrottledAttempt?> BeginRedeemAsync(Guid userId)
        => BeginAsync(client.GetGrain<IThrottleGrain>($"redeem-failure:{userId:N}"), options.Value.RedeemFailures);

    private async Task<ThrottledAttempt?> BeginAsync(IThrottleGrain grain, int limit)
        => await grain.TryBeginAttemptAsync(limit, WindowSeconds) ? new ThrottledAttempt(grain, WindowSeconds) : null;

    private IThrottleGrain Grain(string bucket, HttpContext http)
        => client.GetGrain<IThrottleGrain>($"{bucket}:{http.Connection.RemoteIpAddress?.ToString() ?? "unknown"}");
}
