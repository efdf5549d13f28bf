using Microsoft.Extensions.Options;
using OwlFactory.GrainInterfaces.Throttling;

namespace OwlFactory.ApiHost.Throttling;

/// <summary>
/// Per-client counters kept in throttle grains, so every API host sees the same count. The client is the remote
/// address after forwarded headers from trusted proxies are applied.
/// </summary>
public sealed class ClientThrottle(IClusterClient client, IOptions<RateLimitSettings> options)
{
    public int WindowSeconds => options.Value.WindowSeconds;

    public Task<bool> LoginBlockedAsync(HttpContext http)
        => Grain("login-failure", http).IsExhaustedAsync(options.Value.LoginFailures, WindowSeconds);

    public Task RecordLoginFailureAsync(HttpContext http)
        => Grain("login-failure", http).RecordAsync(WindowSeconds);

    public Task<bool> TryRegisterAsync(HttpContext http)
        => Grain("register", http).TryAcquireAsync(options.Value.Registrations, WindowSeconds);

    /// <summary>Redemption failures count per user: guessing codes needs an account, and a user may sit behind many addresses.</summary>
    public Task<bool> RedeemBlockedAsync(Guid userId)
        => client.GetGrain<IThrottleGrain>($"redeem-failure:{userId:N}").IsExhaustedAsync(options.Value.RedeemFailures, WindowSeconds);

    public Task RecordRedeemFailureAsync(Guid userId)
        => client.GetGrain<IThrottleGrain>($"redeem-failure:{userId:N}").RecordAsync(WindowSeconds);

    private IThrottleGrain Grain(string bucket, HttpContext http)
        => client.GetGrain<IThrottleGrain>($"{bucket}:{http.Connection.RemoteIpAddress?.ToString() ?? "unknown"}");
}
