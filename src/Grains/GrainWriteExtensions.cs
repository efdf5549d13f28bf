using Npgsql;
using Orleans.Storage;

namespace OwlFactory.Grains;

public static class GrainWriteExtensions
{
    /// <summary>
    /// Runs a write of a grain's own rows. A failure leaves it unsure what the rows hold (the commit may have happened
    /// with its answer lost, or another activation wrote them): the activation is dropped so the next call reloads.
    /// </summary>
    public static async Task<T> WriteOrReloadAsync<T>(this Grain grain, Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (Exception e) when (e is InconsistentStateException or NpgsqlException or TimeoutException)
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
