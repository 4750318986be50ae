using System.Text.Json;
using Sop.Errors;
using Sop.Transactions;
using Sop.Trees;

namespace Sop.Compute.Running;

/// <summary>Creates the compute swarm's system JSON stores (<c>.macros</c>, <c>.tasks</c>) on first use, race-free across engines.</summary>
internal static class SystemStores
{
    /// <param name="engine">The engine.</param>
    /// <param name="name">The system store.</param>
    /// <param name="slotLength">Items per node: small for stores of many small, frequent updates (each commit rewrites a node).</param>
    /// <param name="gate">Serializes creation within this process.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async Task EnsureAsync(SopEngine engine, string name, int slotLength, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        if (engine.TryGetStoreInfo(name) is not null) return;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (engine.TryGetStoreInfo(name) is not null) return;
            await engine.CreateSystemStoreAsync<string, JsonElement>(new StoreOptions(name) { SlotLength = slotLength }, Utf8OrdinalComparer.Instance, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (StoreAlreadyExistsException)
        {
            // another engine (another silo) created it first
        }
        finally
        {
            gate.Release();
        }
    }
}
