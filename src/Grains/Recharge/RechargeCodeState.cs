namespace OwlFactory.Grains.Recharge;

/// <summary>A recharge code as its grain holds it: its <c>recharge_codes</c> row and its <c>recharge_records</c>.</summary>
public sealed class RechargeCodeState
{
    public Guid Id { get; set; }
    public string CodeHash { get; set; } = "";
    public string MaskedCode { get; set; } = "";
    public decimal Amount { get; set; }
    public string? Description { get; set; }
    public Guid BatchId { get; set; }
    public int MaxUses { get; set; }
    public int UsedCount { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? DisabledAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public long Version { get; set; }

    /// <summary>Who redeemed it, and the operation (recharge record) id of each redemption.</summary>
    public Dictionary<Guid, Guid> Redemptions { get; set; } = [];

    public RechargeCodeState Copy()
    {
        var copy = (RechargeCodeState)MemberwiseClone();
        copy.Redemptions = new Dictionary<Guid, Guid>(Redemptions);
        return copy;
    }
}
