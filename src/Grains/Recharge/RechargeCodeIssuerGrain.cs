using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Concurrency;
using OwlFactory.GrainInterfaces.Recharge;

namespace OwlFactory.Grains.Recharge;

[StatelessWorker]
public sealed partial class RechargeCodeIssuerGrain(RechargeCodeStore store, TimeProvider clock, ILogger<RechargeCodeIssuerGrain> logger)
    : Grain, IRechargeCodeIssuerGrain
{
    public async Task<IssuedBatch> IssueAsync(IssueCodesCommand command)
    {
        var batchId = Guid.CreateVersion7();
        var now = clock.UtcNowMilliseconds();

        // 32^12 possible codes: a collision is astronomically unlikely, but if one happens the whole batch is
        // regenerated rather than a code silently shared.
        for (var attempt = 0; ; attempt++)
        {
            var symbols = Enumerable.Range(0, command.BatchSize).Select(_ => RechargeCodes.Generate()).ToArray();
            var states = symbols.Select(s => new RechargeCodeState
            {
                Id = Guid.CreateVersion7(),
                CodeHash = RechargeCodes.Hash(s),
                MaskedCode = RechargeCodes.Mask(s),
                Amount = command.Amount,
                Description = command.Description,
                BatchId = batchId,
                MaxUses = command.MaxUses,
                ExpiresAt = command.ExpiresAt,
                CreatedBy = command.CreatedBy,
                CreatedAt = now,
            }).ToArray();
            if (symbols.Distinct().Count() == symbols.Length && await store.InsertBatchAsync(states))
            {
                await RefreshStatisticsAsync();
                return new IssuedBatch(batchId, [.. states.Select((s, i) =>
                    new IssuedCode(s.Id, RechargeCodes.Format(symbols[i]), s.Amount, s.ExpiresAt))]);
            }

            if (attempt == 2)
            {
                throw new InvalidOperationException("Could not issue a batch of unique recharge codes.");
            }
        }
    }

    /// <summary>A large batch re-plans the redemptions' statements that read the codes (see <see cref="Database.TableStatistics"/>).</summary>
    private async Task RefreshStatisticsAsync()
    {
        try
        {
            await store.RefreshStatisticsAsync();
        }
        catch (NpgsqlException e)
        {
            // The codes are issued: the statistics are then left to autovacuum.
            LogStatisticsNotRefreshed(logger, e);
        }
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Codes issued; refreshing recharge_codes' statistics failed")]
    private static partial void LogStatisticsNotRefreshed(ILogger logger, Exception exception);
}
