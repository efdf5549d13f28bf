namespace OwlFactory.Grains.Idempotency;

[GenerateSerializer, Alias("owl.IdempotencyKeyState")]
public sealed class IdempotencyKeyState
{
    /// <summary>The fingerprint of the request that used the key first; null while the key is unused.</summary>
    [Id(0)]
    public string? Fingerprint { get; set; }

    [Id(1)]
    public DateTime FirstUsedAt { get; set; }
}
