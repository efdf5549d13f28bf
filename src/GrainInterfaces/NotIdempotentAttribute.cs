namespace OwlFactory.GrainInterfaces;

/// <summary>
/// Marks a grain method that may not be sent twice: a second delivery would apply a second change or answer
/// differently from the first. The API host's retry of calls whose silo went away re-sends every other method
/// (their arguments carry an operation id, or a repeat changes nothing), and re-sends one of these only when the
/// failure proves the call never left the client.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class NotIdempotentAttribute : Attribute;
