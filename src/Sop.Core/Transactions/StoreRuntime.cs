using Sop.Registry;

namespace Sop.Transactions;

/// <summary>An open store inside an engine: its info, registry and count slots.</summary>
internal sealed class StoreRuntime(StoreInfo info, IRegistry registry, CounterFile counters) : IDisposable
{
    public StoreInfo Info { get; } = info;

    public IRegistry Registry { get; } = registry;

    public CounterFile Counters { get; } = counters;

    /// <summary>Set once the store was dropped; transactions holding it fail at their next use or commit.</summary>
    public volatile bool Dropped;

    /// <summary>
    /// The folder's publish sequence when the store's files (still there, registry epoch) were last looked at; every
    /// change to them is published, so while the sequence stays the same they need no second look. -1: never.
    /// </summary>
    public long FilesCheckedAtPublishSeq = -1;

    /// <summary>Node codec for the store's key/value types, created on first typed open.</summary>
    public object? Codec;

    public void Dispose()
    {
        Registry.Dispose();
        Counters.Dispose();
    }
}
