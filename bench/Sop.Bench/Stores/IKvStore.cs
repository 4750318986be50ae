namespace Sop.Bench.Stores;

/// <summary>
/// One embedded store as the comparison workloads see it. Every write method ends with a durable commit (the store's
/// own durable setting, see its adapter and README.md), so the workloads are written once for all stores. The loops
/// of the bulk, read and scan workloads live inside the adapter, so each store uses its natural API (prepared
/// statements, one read transaction) and no interface call sits between two items.
/// </summary>
internal interface IKvStore : IAsyncDisposable
{
    /// <summary>Adds every key with its value in one transaction and commits it durably.</summary>
    ValueTask BulkInsertAsync(BenchKeys keys, byte[][] values);

    /// <summary>Reads every key in one read transaction; returns how many came back with a value of the right length.</summary>
    ValueTask<long> ReadAllAsync(BenchKeys keys);

    /// <summary>
    /// Visits every item in ascending key order in one read transaction. <paramref name="visit"/> (null in measured
    /// passes) gets each key's bytes and its value's length (0 when <paramref name="keysOnly"/>).
    /// </summary>
    ValueTask<ScanStats> ScanAsync(bool keysOnly, ScanVisitor? visit);

    /// <summary>The value of one key, or null when it is missing (for the checks, never timed).</summary>
    ValueTask<byte[]?> GetAsync(BenchKeys keys, int index);

    /// <summary>One durable transaction adding a key that is not present yet. Concurrent writers may call it.</summary>
    ValueTask InsertDurableAsync(BenchKeys keys, int index, byte[] value);

    /// <summary>One durable transaction replacing the value of an existing key.</summary>
    ValueTask UpdateDurableAsync(BenchKeys keys, int index, byte[] value);
}

/// <summary>Receives one scanned item: its key bytes and its value's length.</summary>
internal delegate void ScanVisitor(ReadOnlySpan<byte> key, int valueLength);

/// <summary>What a scan saw: items, key bytes and value bytes (touched, so no store can skip the work).</summary>
internal readonly record struct ScanStats(long Count, long KeyBytes, long ValueBytes);

/// <summary>What a store is opened for: the bulk, read and scan workloads, or small durable commits.</summary>
/// <remarks>Only SopOrleans uses it (slot length: small nodes keep a one-key commit cheap); peers ignore it.</remarks>
internal enum StoreProfile
{
    Bulk,
    Durable,
}
