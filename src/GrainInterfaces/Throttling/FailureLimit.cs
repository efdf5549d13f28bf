namespace OwlFactory.GrainInterfaces.Throttling;

/// <summary>
/// How many refused attempts a caller may make within a window before every attempt of theirs is refused (see
/// <see cref="IThrottleGrain.TryBeginAttemptAsync"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("owl.FailureLimit")]
public sealed record FailureLimit([property: Id(0)] int Limit, [property: Id(1)] int WindowSeconds)
{
    /// <summary>The throttle grain that counts a user's refused redemptions (they count per user, not per address).</summary>
    public static string RedeemFailuresKey(Guid userId) => $"redeem-failure:{userId:N}";
}
