namespace OwlFactory.GrainInterfaces;

/// <summary>
/// What a grain call throws in place of an exception that cannot cross the cluster (a database error from inside a
/// grain has no Orleans codec). The silo logs the original with <see cref="CorrelationId"/>; the API host answers
/// 503 when <see cref="Unavailable"/> (the database could not be reached) and 500 otherwise, quoting the same id.
/// </summary>
[GenerateSerializer, Alias("owl.GrainFaultException")]
public sealed class GrainFaultException : Exception
{
    public GrainFaultException()
    {
    }

    public GrainFaultException(string message)
        : base(message)
    {
    }

    public GrainFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GrainFaultException(string correlationId, bool unavailable, string message)
        : base(message)
    {
        CorrelationId = correlationId;
        Unavailable = unavailable;
    }

    /// <summary>The id the silo logged the original exception with.</summary>
    [Id(0)]
    public string CorrelationId { get; set; } = "";

    /// <summary>True when the cause is an infrastructure outage (the database unreachable) rather than a bug.</summary>
    [Id(1)]
    public bool Unavailable { get; set; }
}
