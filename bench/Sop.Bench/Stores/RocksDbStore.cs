using RocksDbSharp;

namespace Sop.Bench.Stores;

/// <summary>RocksDB through the RocksDB NuGet package (RocksDbSharp), default options, every write synced.</summary>
internal sealed class RocksDbStoreKind : IStoreKind
{
    public string Id => "rocksdb";

    public string Name => "RocksDB";

    public string Settings =>
        "RocksDB 11.12.0.7641 (RocksDbSharp), default DbOptions; every Put/Write with WriteOptions.SetSync(true) (WAL fsync per write; "
        + "W1 is one synced WriteBatch)";

    public ValueTask<IKvStore> OpenAsync(string folder, StoreProfile profile)
    {
        Directory.CreateDirectory(folder); // RocksDB creates the last folder of the path only
        return ValueTask.FromResult<IKvStore>(new RocksDbStore(RocksDb.Open(new DbOptions().SetCreateIfMissing(true), folder)));
    }
}

/// <summary>The adapter; RocksDB is thread-safe, so concurrent writers share it.</summary>
internal sealed class RocksDbStore(RocksDb db) : IKvStore
{
    private readonly WriteOptions _sync = new WriteOptions().SetSync(true);

    public ValueTask BulkInsertAsync(BenchKeys keys, byte[][] values)
    {
        using var batch = new WriteBatch();
        for (int i = 0; i < keys.Count; i++) batch.Put(keys.Bytes[i], values[i]);
        db.Write(batch, _sync);
        return ValueTask.CompletedTask;
    }

    public ValueTask<long> ReadAllAsync(BenchKeys keys)
    {
        long hits = 0;
        using var snapshot = db.CreateSnapshot(); // one consistent read view, like the others' read transaction
        var read = new ReadOptions().SetSnapshot(snapshot);
        foreach (byte[] key in keys.Bytes)
        {
            if (db.Get(key, readOptions: read) is { Length: BenchContext.ValueLength }) hits++;
        }
        return ValueTask.FromResult(hits);
    }

    public ValueTask<ScanStats> ScanAsync(bool keysOnly, ScanVisitor? visit)
    {
        long count = 0, keyBytes = 0, valueBytes = 0;
        using var iterator = db.NewIterator();
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            var key = iterator.GetKeySpan();
            int valueLength = keysOnly ? 0 : iterator.GetValueSpan().Length;
            count++;
            keyBytes += key.Length;
            valueBytes += valueLength;
            visit?.Invoke(key, valueLength);
        }
        return ValueTask.FromResult(new ScanStats(count, keyBytes, valueBytes));
    }

    public ValueTask<byte[]?> GetAsync(BenchKeys keys, int index) => ValueTask.FromResult<byte[]?>(db.Get(keys.Bytes[index]));

    public ValueTask InsertDurableAsync(BenchKeys keys, int index, byte[] value)
    {
        db.Put(keys.Bytes[index], value, writeOptions: _sync);
        return ValueTask.CompletedTask;
    }

    // RocksDB has no "update only": a put replaces the value, like the update of the other stores.
    public ValueTask UpdateDurableAsync(BenchKeys keys, int index, byte[] value) => InsertDurableAsync(keys, index, value);

    public ValueTask DisposeAsync()
    {
        db.Dispose();
        return ValueTask.CompletedTask;
    }
}
