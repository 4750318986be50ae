using Sop.Errors;
using Sop.Transactions;

namespace Sop.Redis.Tests.Support;

/// <summary>One-key transactions for the multi-host tests.</summary>
public static class EngineOps
{
    public static async Task PutAsync(SopEngine engine, string store, string key, long value)
    {
        await using var tx = await engine.BeginAsync();
        var s = tx.OpenStore<string, long>(store);
        if (!s.Update(key, value)) s.Add(key, value);
        await tx.CommitAsync();
    }

    public static async Task<long?> GetAsync(SopEngine engine, string store, string key, TransactionMode mode = TransactionMode.ForReading)
    {
        await using var tx = await engine.BeginAsync(mode);
        long? result = tx.OpenStore<string, long>(store).TryGetValue(key, out long v) ? v : null;
        await tx.CommitAsync();
        return result;
    }

    /// <summary>A put that retries (bounded) while the connection is still coming back; putting the same value twice is harmless.</summary>
    public static async Task PutUntilRedisAnswersAsync(SopEngine engine, string store, string key, long value)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await PutAsync(engine, store, key, value);
                return;
            }
            catch (CoordinationUnavailableException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }
}
