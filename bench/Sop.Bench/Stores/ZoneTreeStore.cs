using ZoneTree;
using ZoneTree.Comparers;
using ZoneTree.Options;
using ZoneTree.Serializers;

namespace Sop.Bench.Stores;

/// <summary>
/// ZoneTree (an LSM tree), byte keys (<c>Memory&lt;byte&gt;</c>, ZoneTree's byte-array type) in lexicographic order, WAL mode <c>Sync</c> and <c>SyncWALAsync()</c>
/// after every durable commit (appends alone do not fsync), with a maintainer merging segments in the background.
/// </summary>
internal sealed class ZoneTreeStoreKind : IStoreKind
{
    public string Id => "zonetree";

    public string Name => "ZoneTree";

    public string Settings =>
        "ZoneTree 2.1.3, byte[] keys (ByteArrayLexicographicComparerAscending), WriteAheadLogMode.Sync plus SyncWALAsync() after "
        + "every durable commit (W1: once after the upserts), background maintainer";

    public ValueTask<IKvStore> OpenAsync(string folder, StoreProfile profile)
    {
        var tree = new ZoneTreeFactory<Memory<byte>, Memory<byte>>()
            .SetComparer(new ByteArrayLexicographicComparerAscending())
            .SetKeySerializer(new ByteArraySerializer())
            .SetValueSerializer(new ByteArraySerializer())
            .SetDataDirectory(folder)
            .ConfigureWriteAheadLogOptions(w => w.WriteAheadLogMode = WriteAheadLogMode.Sync)
            .OpenOrCreate();
        return ValueTask.FromResult<IKvStore>(new ZoneTreeStore(tree));
    }
}

/// <summary>The adapter; ZoneTree is thread-safe, so concurrent writers share it.</summary>
internal sealed class ZoneTreeStore(IZoneTree<Memory<byte>, Memory<byte>> tree) : IKvStore
{
    private readonly IMaintainer _maintainer = tree.CreateMaintainer();

    public async ValueTask BulkInsertAsync(BenchKeys keys, byte[][] values)
    {
        for (int i = 0; i < keys.Count; i++) tree.Upsert(keys.Bytes[i], values[i]);
        await tree.SyncWALAsync();
    }

    public ValueTask<long> ReadAllAsync(BenchKeys keys)
    {
        long hits = 0;
        foreach (byte[] key in keys.Bytes)
        {
            if (tree.TryGet(key, out var value) && value.Length == BenchContext.ValueLength) hits++;
        }
        return ValueTask.FromResult(hits);
    }

    public ValueTask<ScanStats> ScanAsync(bool keysOnly, ScanVisitor? visit)
    {
        long count = 0, keyBytes = 0, valueBytes = 0;
        using var iterator = tree.CreateIterator();
        while (iterator.Next())
        {
            var key = iterator.CurrentKey.Span;
            int valueLength = keysOnly ? 0 : iterator.CurrentValue.Length;
            count++;
            keyBytes += key.Length;
            valueBytes += valueLength;
            visit?.Invoke(key, valueLength);
        }
        return ValueTask.FromResult(new ScanStats(count, keyBytes, valueBytes));
    }

    public ValueTask<byte[]?> GetAsync(BenchKeys keys, int index) =>
        ValueTask.FromResult(tree.TryGet(keys.Bytes[index], out var value) ? value.ToArray() : null);

    public async ValueTask InsertDurableAsync(BenchKeys keys, int index, byte[] value)
    {
        if (!tree.TryAdd(keys.Bytes[index], value, out _)) throw new InvalidOperationException("ZoneTree: the new key was already there");
        await tree.SyncWALAsync();
    }

    public async ValueTask UpdateDurableAsync(BenchKeys keys, int index, byte[] value)
    {
        tree.Upsert(keys.Bytes[index], value);
        await tree.SyncWALAsync();
    }

    public ValueTask DisposeAsync()
    {
        _maintainer.WaitForBackgroundThreads();
        _maintainer.Dispose();
        tree.Dispose();
        return ValueTask.CompletedTask;
    }
}
