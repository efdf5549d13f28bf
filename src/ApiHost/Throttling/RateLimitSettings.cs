using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Throttling;

/// <summary>Per-client limits on the actions attackers repeat. Bound from <c>Owl:RateLimits</c>.</summary>
public sealed class RateLimitSettings
{
    public const string Section = "Owl:RateLimits";

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Failed logins a client may make per window before every login from it is refused.</summary>
    [Range(1, 1_000_000)]
    public int LoginFailures { get; set; } = 10;

    /// <summary>Registrations a client may make per window.</summary>
    [Range(1, 1_000_000)]
    public int Registrations { get; set; } = 20;

    /// <summary>Refused code redemptions a user may make per window before every redemption of theirs is refused.</summary>
    [Range(1, 1_000_000)]
    public int RedeemFailures { get; set; } = 10;
}
