using System.Text.Json;
using Sop.Compute.Macros;
using Sop.Compute.Running;
using Sop.Json;
using Sop.Transactions;
using Sop.Trees;

namespace Sop.Compute.Agents;

/// <summary>
/// The agents of the cluster, in the system store <c>.agents</c>: every silo's agent writes a heartbeat, and any silo
/// or client lists the ones seen recently. The database is the directory, like it is the task queue.
/// </summary>
public sealed class AgentRegistry
{
    /// <summary>The system store of the directory.</summary>
    public const string StoreName = ".agents";

    private readonly SopEngine _engine;
    private readonly ComputeOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile bool _exists;

    internal AgentRegistry(SopEngine engine, ComputeOptions options, TimeProvider time)
    {
        _engine = engine;
        _options = options;
        _time = time;
    }

    /// <summary>Records that the agent is alive now.</summary>
    public async Task HeartbeatAsync(string id, string silo, CancellationToken cancellationToken = default)
    {
        await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        var record = JsonSerializer.SerializeToElement(new AgentRecord(id, silo, _time.GetUtcNow()), MacroJson.Options);
        await TransactionRetry.RunAsync(_engine, TransactionMode.ForWriting, _options.RunBudget, tx =>
        {
            tx.OpenJsonStore(StoreName).Upsert(id, record);
            return Task.FromResult(true);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes an agent (its silo is shutting down).</summary>
    public async Task LeaveAsync(string id, CancellationToken cancellationToken = default)
    {
        await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        await TransactionRetry.RunAsync(_engine, TransactionMode.ForWriting, _options.RunBudget, tx =>
            Task.FromResult(tx.OpenJsonStore(StoreName).Remove(id)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The agents seen within <paramref name="maxAge"/>, by id.</summary>
    public async Task<IReadOnlyList<AgentRecord>> ListLiveAsync(TimeSpan maxAge, CancellationToken cancellationToken = default)
    {
        await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        var since = _time.GetUtcNow() - maxAge;
        return await TransactionRetry.RunAsync(_engine, TransactionMode.NoCheck, _options.RunBudget, tx =>
        {
            IReadOnlyList<AgentRecord> live = tx.OpenJsonStore(StoreName).Scan(KeyRange<string>.All)
                .Select(item => item.Value.Deserialize<AgentRecord>(MacroJson.Options)!)
                .Where(a => a.LastSeen >= since).ToList();
            return Task.FromResult(live);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureStoreAsync(CancellationToken cancellationToken)
    {
        if (_exists) return;
        await SystemStores.EnsureAsync(_engine, StoreName, slotLength: 64, _creating, cancellationToken).ConfigureAwait(false);
        _exists = true;
    }
}
