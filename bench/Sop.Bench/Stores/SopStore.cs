using System.Text;
using Sop.Errors;
using Sop.Hosting;
using Sop.Transactions;

namespace Sop.Bench.Stores;

/// <summary>
/// SopOrleans standalone (or clustered through Redis): a <c>string → byte[]</c> store with values in the nodes.
/// Every commit is durable (one fsync of the commit log, shared by concurrent commits). Reads use ForReading
/// transactions, whose commit validates the read set (the stricter mode; NoCheck is faster, see <c>--engine</c>).
/// </summary>
internal sealed class SopStoreKind(int bulkSlot, int durableSlot, string? redis = null) : IStoreKind
{
    public string Id => redis is null ? "sop" : "sop-redis";

    public string Name => redis is null ? "SopOrleans" : "SopOrleans (Redis)";

    public string Settings =>
        $"commit log (a preallocated segment) fdatasynced at every commit (group commit for concurrent writers); slot {bulkSlot} for W1-W4, {durableSlot} for W5-W7"
        + (redis is null ? "; in-process file-lock coordinator" : $"; coordinated through Redis {redis}");

    public bool IsOurs => redis is null;

    public bool IsPeer => false;

    public IReadOnlySet<string>? Workloads => redis is null ? null : new HashSet<string> { "W5", "W6", "W7" };

    public string ProfileNote(StoreProfile profile) => $"slot {(profile == StoreProfile.Bulk ? bulkSlot : durableSlot)}";

    public async ValueTask<IKvStore> OpenAsync(string folder, StoreProfile profile)
    {
        var options = new SopEngineOptions { DataPath = folder };
        if (redis is not null) Sop.Redis.SopRedisExtensions.UseRedis(options, redis);
        var engine = await SopEngine.OpenAsync(options);
        int slot = profile == StoreProfile.Bulk ? bulkSlot : durableSlot;
        await engine.CreateStoreAsync<string, byte[]>(new StoreOptions(BenchContext.StoreName) { SlotLength = slot });
        return new SopStore(engine);
    }
}

/// <summary>The adapter over one open <see cref="SopEngine"/>.</summary>
internal sealed class SopStore(SopEngine engine) : IKvStore
{
    /// <summary>Surfaced conflicts one transaction may hit before the writer gives up (a livelock, not contention).</summary>
    private const int MaxAttempts = 1_000;

    public async ValueTask BulkInsertAsync(BenchKeys keys, byte[][] values) =>
        await BenchContext.BulkInsertAsync(engine, keys.Text, values);

    public async ValueTask<long> ReadAllAsync(BenchKeys keys)
    {
        long hits = 0;
        await using var tx = engine.Begin(TransactionMode.ForReading, BenchContext.LongTransaction);
        var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
        foreach (string key in keys.Text)
        {
            if (store.TryGetValue(key, out var value) && value is { Length: BenchContext.ValueLength }) hits++;
        }
        await tx.CommitAsync();
        return hits;
    }

    public async ValueTask<ScanStats> ScanAsync(bool keysOnly, ScanVisitor? visit)
    {
        long count = 0, keyBytes = 0, valueBytes = 0;
        await using var tx = engine.Begin(TransactionMode.ForReading, BenchContext.LongTransaction);
        var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
        foreach (var item in store.Scan(keysOnly: keysOnly))
        {
            count++;
            keyBytes += item.Key.Length; // ASCII keys: one byte per character
            int valueLength = item.Value?.Length ?? 0;
            valueBytes += valueLength;
            if (visit is not null) Visit(visit, item.Key, valueLength);
        }
        await tx.CommitAsync();
        return new ScanStats(count, keyBytes, valueBytes);
    }

    public async ValueTask<byte[]?> GetAsync(BenchKeys keys, int index)
    {
        await using var tx = engine.Begin(TransactionMode.NoCheck);
        var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
        store.TryGetValue(keys.Text[index], out var value);
        await tx.CommitAsync();
        return value;
    }

    public ValueTask InsertDurableAsync(BenchKeys keys, int index, byte[] value) =>
        WriteWithRetriesAsync(keys.Text[index], value, insert: true);

    public ValueTask UpdateDurableAsync(BenchKeys keys, int index, byte[] value) =>
        WriteWithRetriesAsync(keys.Text[index], value, insert: false);

    public ValueTask DisposeAsync() => engine.DisposeAsync();

    /// <summary>One-key transaction, retried from the start when it loses a conflict (concurrent writers).</summary>
    private async ValueTask WriteWithRetriesAsync(string key, byte[] value, bool insert)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var tx = engine.Begin(TransactionMode.ForWriting);
                var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
                bool done = insert ? store.Add(key, value) : store.Update(key, value);
                if (!done) throw new InvalidOperationException($"{(insert ? "Add" : "Update")}({key}) returned false");
                await tx.CommitAsync();
                return;
            }
            catch (TransactionConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private static void Visit(ScanVisitor visit, string key, int valueLength)
    {
        Span<byte> bytes = stackalloc byte[Encoding.ASCII.GetMaxByteCount(key.Length)];
        int length = Encoding.ASCII.GetBytes(key, bytes);
        visit(bytes[..length], valueLength);
    }
}
