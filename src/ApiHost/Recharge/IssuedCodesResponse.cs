using OwlFactory.GrainInterfaces.Recharge;

namespace OwlFactory.ApiHost.Recharge;

/// <summary>The only answer that ever shows codes in clear.</summary>
public sealed record IssuedCodesResponse(Guid BatchId, IReadOnlyList<IssuedCode> Codes, int TotalGenerated, decimal TotalAmount);
