namespace OwlFactory.GrainInterfaces;

/// <summary>Names shared by the silo, the API host and the tests: providers, streams, invariants.</summary>
public static class OwlConstants
{
    /// <summary>ADO.NET grain storage for grains whose state is a blob (Orleans' own storage table).</summary>
    public const string Storage = "owl";

    /// <summary>The storage Orleans streams keep their subscriptions in.</summary>
    public const string PubSubStore = "PubSubStore";

    /// <summary>The stream provider for in-cluster events (telemetry, task updates).</summary>
    public const string StreamProvider = "owl-streams";

    /// <summary>The ADO.NET invariant name of Npgsql.</summary>
    public const string AdoInvariant = "Npgsql";
}
