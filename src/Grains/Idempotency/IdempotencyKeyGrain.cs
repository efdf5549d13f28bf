using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Idempotency;

namespace OwlFactory.Grains.Idempotency;

public sealed class IdempotencyKeyGrain(
    [PersistentState("idempotency", OwlConstants.Storage)] IPersistentState<IdempotencyKeyState> state,
    TimeProvider clock) : Grain, IIdempotencyKeyGrain
{
    public async Task<bool> ClaimAsync(string fingerprint)
    {
        if (state.State.Fingerprint is { } bound)
        {
            return string.Equals(bound, fingerprint, StringComparison.Ordinal);
        }

        state.State.Fingerprint = fingerprint;
        state.State.FirstUsedAt = clock.GetUtcNow().UtcDateTime;
        await state.WriteStateAsync();
        return true;
    }
}
