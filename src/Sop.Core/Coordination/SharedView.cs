using System.Collections.Concurrent;
using Sop.Ids;
using Sop.Registry;

namespace Sop.Coordination;

/// <summary>
/// An engine's copy of what the lock server holds for the current generation (decisions.md 17): the latest handle of
/// every node changed in it, the latest value of every count slot, the dropped stores, and the folder-wide sequence
/// the copy is complete up to. Where it has a node, it is the truth for that node — the registry file may be stale in
/// this host's page cache, or ahead of the sequence (another host writing it just now) — and the file is the truth for
/// every node it lacks (unchanged since the generation began, when every host had checkpointed).
/// </summary>
/// <remarks>
/// Merges keep the higher node version and the higher count sequence, so entries may arrive twice or (this engine's
/// own commits) before the ones that precede them. Callers change it only inside the engine's publish sequence.
/// </remarks>
internal sealed class SharedView
{
    private readonly ConcurrentDictionary<(Guid Store, NodeId Node), Handle> _handles = new();
    private readonly ConcurrentDictionary<(Guid Store, int Slot), (long Cumulative, ulong Seq)> _counts = new();
    private readonly ConcurrentDictionary<Guid, bool> _dropped = new();

    /// <summary>The lock server's generation this copy belongs to (null: never caught up).</summary>
    public string? Generation { get; private set; }

    /// <summary>The folder-wide sequence up to which this copy holds every publish (-1: never caught up).</summary>
    public long Seq { get; private set; } = -1;

    public bool TryGetHandle(Guid store, NodeId node, out Handle handle) => _handles.TryGetValue((store, node), out handle);

    public bool TryGetCount(Guid store, int slot, out (long Cumulative, ulong Seq) count) => _counts.TryGetValue((store, slot), out count);

    public bool IsDropped(Guid store) => _dropped.ContainsKey(store);

    /// <summary>Every shared handle of a store (for scans that must not miss a node another host added).</summary>
    public IEnumerable<Handle> HandlesOf(Guid store)
    {
        foreach (var ((s, _), h) in _handles)
            if (s == store) yield return h;
    }

    /// <summary>Brings the copy to <paramref name="changes"/>; true when a generation change reset it.</summary>
    public bool Apply(SharedChanges changes)
    {
        bool reset = Generation is not null && Generation != changes.Generation;
        if (changes.Whole)
        {
            _handles.Clear();
            _counts.Clear();
            _dropped.Clear();
            foreach (var (k, v) in changes.Latest) SharedFields.Apply(this, k, v);
            foreach (var d in changes.Dropped) MarkDropped(new Guid(d));
        }
        else
        {
            foreach (var entry in changes.Entries) SharedFields.ApplyEntry(this, entry);
        }
        Generation = changes.Generation;
        Seq = changes.Seq;
        return reset;
    }

    internal void MergeHandle(Guid store, in Handle handle)
    {
        var h = handle;
        _handles.AddOrUpdate((store, h.LogicalId), h, (_, old) => old.Version >= h.Version ? old : h);
    }

    internal void MergeCount(Guid store, int slot, long cumulative, ulong seq) =>
        _counts.AddOrUpdate((store, slot), (cumulative, seq), (_, old) => old.Seq >= seq ? old : (cumulative, seq));

    internal void MarkDropped(Guid store)
    {
        _dropped[store] = true;
        foreach (var key in _handles.Keys)
            if (key.Store == store) _handles.TryRemove(key, out _);
        foreach (var key in _counts.Keys)
            if (key.Store == store) _counts.TryRemove(key, out _);
    }
}
