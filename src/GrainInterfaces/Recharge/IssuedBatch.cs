using System.Collections.Immutable;

namespace OwlFactory.GrainInterfaces.Recharge;

[GenerateSerializer, Alias("owl.IssuedBatch")]
public sealed record IssuedBatch([property: Id(0)] Guid BatchId, [property: Id(1)] ImmutableArray<IssuedCode> Codes);
