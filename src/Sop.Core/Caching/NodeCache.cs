using System.Collections.Concurrent;
using Sop.Ids;

namespace Sop.Caching;

/// <summary>
/// The L1 cache: decoded nodes by <b>physical</b> blob id, bounded by node count and estimated bytes. Because a blob
/// never changes and the registry names the current blob, a hit can never be stale.
/// </summary>
/// <remarks>Thread-safe. Eviction drops the least recently used quarter when a bound is passed (amortized, approximate LRU).</remarks>
public sealed class NodeCache(int maxNodes, long maxBytes)
{
    private readonly ConcurrentDictionary<BlobId, Entry> _entries = new();
    private readonly object _evictGate = new();
    private long _bytes;
    private long _clock;

    /// <summary>Nodes held now.</summary>
    public int Count => _entries.Count;

    /// <summary>Estimated bytes held now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Returns the cached node for a blob, or null.</summary>
    public object? TryGet(BlobId blob)
    {
        if (!_entries.TryGetValue(blob, out var e))
        {
            Diagnostics.SopMetrics.CacheMisses.Add(1);
            return null;
        }
        Diagnostics.SopMetrics.CacheHits.Add(1);
        e.LastUse = Interlocked.Increment(ref _clock);
        return e.Node;
    }

    /// <summary>Caches a decoded node (never mutated afterwards) under its blob id.</summary>
    public void Put(BlobId blob, object node, int estimatedBytes)
    {
        var entry = new Entry(node, estimatedBytes) { LastUse = Interlocked.Increment(ref _clock) };
        if (_entries.TryAdd(blob, entry)) Interlocked.Add(ref _bytes, estimatedBytes);
        if (_entries.Count > maxNodes || Interlocked.Read(ref _bytes) > maxBytes) Evict();
    }

    /// <summary>Drops a blob's node (after the blob was deleted).</summary>
    public void Remove(BlobId blob)
    {
        if (_entries.TryRemove(blob, out var e)) Interlocked.Add(ref _bytes, -e.Bytes);
    }

    /// <summary>Drops everything.</summary>
    public void Clear()
    {
        _entries.Clear();
        Interlocked.Exchange(ref _bytes, 0);
    }

    private void Evict()
    {
        if (!Monitor.TryEnter(_evictGate)) return; // someone else is evicting
        try
        {
            if (_entries.Count <= maxNodes && Interlocked.Read(ref _bytes) <= maxBytes) return;
            var snapshot = _entries.ToArray();
            Array.Sort(snapshot, (a, b) => a.Value.LastUse.CompareTo(b.Value.LastUse));
            int drop = Math.Max(1, snapshot.Length / 4);
            for (int i = 0; i < drop; i++) Remove(snapshot[i].Key);
        }
        finally
        {
            Monitor.Exit(_evictGate);
        }
    }

    private sealed class Entry(object node, int bytes)
    {
        public object Node { get; } = node;

        public int Bytes { get; } = bytes;

        public long LastUse;
    }
}
