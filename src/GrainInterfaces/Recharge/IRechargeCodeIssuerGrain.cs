namespace OwlFactory.GrainInterfaces.Recharge;

/// <summary>Generates batches of codes and stores them (hashed) in one statement. Stateless: any silo, many at once.</summary>
[Alias("owl.IRechargeCodeIssuerGrain")]
public interface IRechargeCodeIssuerGrain : IGrainWithIntegerKey
{
    /// <summary>Returns the codes in clear, the only time they are ever shown.</summary>
    [ResponseTimeout("00:00:30")]
    [NotIdempotent, Alias("Issue")]
    Task<IssuedBatch> IssueAsync(IssueCodesCommand command);
}
