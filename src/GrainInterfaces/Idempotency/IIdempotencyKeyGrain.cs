namespace OwlFactory.GrainInterfaces.Idempotency;

/// <summary>
/// Remembers which request an Idempotency-Key was first used with. Key: <c>{scope}:{user id}:{SHA-256 of the key}</c>,
/// for example <c>tasks:0f0f…:9a3c…</c>. The request that uses a key first fixes its fingerprint; a retry with the same
/// fingerprint goes ahead (and is replayed by the grain that owns the action), a different one is a conflict.
/// </summary>
[Alias("owl.IIdempotencyKeyGrain")]
public interface IIdempotencyKeyGrain : IGrainWithStringKey
{
    /// <summary>True when the key is new (it is then bound to <paramref name="fingerprint"/>) or already bound to it.</summary>
    [Alias("Claim")]
    Task<bool> ClaimAsync(string fingerprint);
}
