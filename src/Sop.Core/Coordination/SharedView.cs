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
    /// <summary>The current contents; a whole-state load builds new ones and swaps them in, so no lookup sees them half filled.</summary>
    private volatile Contents _now = new();

    /// <summary>The lock server's generation this copy belongs to (null: never caught up).</summary>
    public string? Generation { get; private set; }

    /// <summary>The folder-wide sequence up to which this copy holds every publish (-1: never caught up).</summary>
    public long Seq { get; private set; } = -1;

    public bool TryGetHandle(Guid store, NodeId node, out Handle handle) => _now.Handles.TryGetValue((store, node), out handle);

    public bool TryGetCount(Guid store, int slot, out (long Cumulative, ulong Seq) count) => _now.Counts.TryGetValue((store, slot), out count);

    public bool IsDropped(Guid store) => _now.Dropped.ContainsKey(store);

    /// <summary>Every shared handle of a store (for scans that must not miss a node another host added).</summary>
    public IEnumerable<Handle> HandlesOf(Guid store)
    {
        foreach (var ((s, _), h) in _now.Handles)
            if (s == store) yield return h;
    }

    /// <summary>Brings the copy to <paramref name="changes"/>; true when a generation change reset it.</summary>
    public bool Apply(SharedChanges changes)
    {
        bool reset = Generation is not null && Generation != changes.Generation;
        if (changes.Whole)
        {
            var whole = new Contents();
            foreach (var (k, v) in changes.Latest) SharedFields.Apply(whole, k, v);
            foreach (var d in changes.Dropped) whole.MarkDropped(new Guid(d));
            _now = whole;
        }
        else
        {
            foreach (var entry in changes.Entries) SharedFields.ApplyEntry(_now, entry);
        }
        Generation = changes.Generation;
        Seq = changes.Seq;
        return reset;
    }

    public void MergeHandle(Guid store, in Handle handle) => _now.MergeHandle(store, handle);

    public void MergeCount(Guid store, int slot, long cumulative, ulong seq) => _now.MergeCount(store, slot, cumulative, seq);

    public void MarkDropped(Guid store) => _now.MarkDropped(store);

    /// <summary>One state of the view.</summary>
    internal sealed class Contents
    {
        public ConcurrentDictionary<(Guid Store, NodeId Node), Handle> Handles { get; } = new();

        public ConcurrentDictionary<(Guid Store, int Slot), (long Cumulative, ulong Seq)> Counts { get; } = new();

        public ConcurrentDictionary<Guid, bool> Dropped { get; } = new();

        public void MergeHandle(Guid store, in Handle handle)
        {
            var h = handle;
            Handles.AddOrUpdate((store, h.LogicalId), h, (_, old) => old.Version >= h.Version ? old : h);
        }

        public void MergeCount(Guid store, int slot, long cumulative, ulong seq) =>
            Counts.AddOrUpdate((store, slot), (cumulative, seq), (_, old) => old.Seq >= seq ? old : (cumulative, seq));

        public void MarkDropped(Guid store)
        {
            Dropped[store] = true;
            foreach (var key in Handles.Keys)
                if (key.Store == store) Handles.TryRemove(key, out _);
            foreach (var key in Counts.Keys)
                if (key.Store == store) Counts.TryRemove(key, out _);
        }
    }
}
