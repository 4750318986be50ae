namespace Sop.Bench.Stores;

/// <summary>One store of the comparison: how to open it, what it is called, and how it was made durable.</summary>
internal interface IStoreKind
{
    /// <summary>Id for <c>--stores</c> (sop, sqlite, rocksdb, lmdb, litedb, zonetree, sop-redis).</summary>
    string Id { get; }

    /// <summary>Column title, e.g. "RocksDB 11.12".</summary>
    string Name { get; }

    /// <summary>The durable setting used, for the results file.</summary>
    string Settings { get; }

    /// <summary>True for SopOrleans standalone (the store compared with the best peer).</summary>
    bool IsOurs => false;

    /// <summary>True for the other stores (not for any SopOrleans row, clustered included).</summary>
    bool IsPeer => true;

    /// <summary>The workloads it runs; null for all.</summary>
    IReadOnlySet<string>? Workloads => null;

    /// <summary>What the workload notes should say about a store opened for this profile (SopOrleans: its slot length).</summary>
    string ProfileNote(StoreProfile profile) => "";

    /// <summary>Null when the store can run here, else why not (printed, and the store is skipped).</summary>
    string? Unavailable() => null;

    ValueTask<IKvStore> OpenAsync(string folder, StoreProfile profile);
}
