namespace OwlFactory.GrainInterfaces;

/// <summary>
/// Grain references for the hot paths, built from the grain's id. Orleans' <c>GetGrain&lt;T&gt;(key)</c> works out
/// which grain type and interface type <c>T</c> stands for on every call, by reading the interface's
/// attributes and formatting its name; a perf profile put that at 8 % of an API host's CPU under heartbeats and 6 %
/// of a silo's end to end (docs/benchmarks.md, eighth round). These resolve each interface once, with Orleans' own
/// <c>GetGrain</c>, and from then on only build the reference. A reference from either way is the same reference.
/// </summary>
public static class GrainReferences
{
    /// <summary>The grain of interface <typeparamref name="T"/> with the Guid key <paramref name="key"/>.</summary>
    public static T Reference<T>(this IGrainFactory grains, Guid key) where T : IGrainWithGuidKey
        => Resolved<T>.Types is { } types
            ? Create<T>(grains, types, GrainIdKeyExtensions.CreateGuidKey(key))
            : Resolve(grains.GetGrain<T>(key));

    /// <summary>The grain of interface <typeparamref name="T"/> with the integer key <paramref name="key"/>.</summary>
    public static T Reference<T>(this IGrainFactory grains, long key) where T : IGrainWithIntegerKey
        => Resolved<T>.Types is { } types
            ? Create<T>(grains, types, GrainIdKeyExtensions.CreateIntegerKey(key))
            : Resolve(grains.GetGrain<T>(key));

    /// <summary>The grain of interface <typeparamref name="T"/> with the string key <paramref name="key"/>.</summary>
    public static T Reference<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return Resolved<T>.Types is { } types
            ? Create<T>(grains, types, IdSpan.Create(key))
            : Resolve(grains.GetGrain<T>(key));
    }

    private static T Create<T>(IGrainFactory grains, GrainTypes types, IdSpan key)
        => (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);

    private static T Resolve<T>(T grain)
    {
        var reference = (GrainReference)(object)grain!;
        Resolved<T>.Types = new GrainTypes(reference.GrainId.Type, reference.InterfaceType);
        return grain;
    }

    private sealed record GrainTypes(GrainType Grain, GrainInterfaceType Interface);

    // One per interface. Every process resolves an interface to the same pair (both come from the types' metadata),
    // so the test hosts that run several silos in one process share it safely; a race only resolves it twice.
    private static class Resolved<T>
    {
        public static volatile GrainTypes? Types;
    }
}
