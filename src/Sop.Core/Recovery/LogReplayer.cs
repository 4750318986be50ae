using Sop.Blobs;
using Sop.Ids;
using Sop.Log;
using Sop.Registry;
using Sop.Storage;
using Sop.Transactions;

namespace Sop.Recovery;

/// <summary>
/// Redoes commit records in log order. Idempotent: a handle is written only where the registry's current version
/// is the record's base version (absent for an added node), a count delta only where the slot's sequence is lower,
/// a blob only where it is missing or torn. So replaying a record twice, or one whose effects are partly on disk,
/// converges to the committed state.
/// </summary>
/// <remarks>
/// Steps per record: 1 drop → delete the store if it is that incarnation · 2 create → materialize the store if its
/// info is missing · 3 value blobs · 4 node handles and blobs · 5 count slot. After the last record: 6 hand over every
/// blob the replayed records made obsolete (the engine deletes them once no running transaction of any engine can
/// read them).
/// </remarks>
internal sealed class LogReplayer(IFileSystem fs, DataFolderLayout layout, IBlobStore blobs, Func<string, StoreRuntime?> openStore, Action<string> dropStore)
{
    private readonly List<(string Store, Guid StoreId, BlobId Blob)> _obsolete = [];

    public int Replayed { get; private set; }

    /// <summary>
    /// Redoes the logs of several writer slots together. Each slot's records keep their order; across slots, a record
    /// waits while one of its nodes has not reached the record's base version yet (a record of another slot comes
    /// first), so interleaved commits of different engines are redone in the order they were made. Records that can
    /// never become ready (their node went on, e.g. was removed) are finally redone under the per-node rule.
    /// </summary>
    public void ReplayInOrder(IReadOnlyList<(int Slot, IReadOnlyList<LoggedRecord> Records)> slots)
    {
        var queues = slots.Select(s => (s.Slot, Queue: new Queue<(ulong Seq, CommitRecord Record)>(
            s.Records.Select(r => (r.Seq, CommitRecord.Decode(r.Payload)))))).ToList();
        for (bool progress = true; progress;)
        {
            progress = false;
            foreach (var (slot, queue) in queues)
            {
                while (queue.Count > 0 && !IsWaiting(queue.Peek().Record))
                {
                    var (seq, record) = queue.Dequeue();
                    Replay(record, seq, slot);
                    progress = true;
                }
            }
        }
        foreach (var (slot, queue) in queues)
            while (queue.TryDequeue(out var next)) Replay(next.Record, next.Seq, slot);
    }

    /// <summary>True when a node of the record is still below the record's base version.</summary>
    private bool IsWaiting(CommitRecord record)
    {
        foreach (var s in record.Stores)
        {
            if (s.Drop || s.CreateInfo is not null) continue;
            if (StoreFiles.TryReadInfo(fs, layout, s.Name)?.StoreId != s.StoreId) continue;
            var store = openStore(s.Name);
            if (store is null) continue;
            foreach (var n in s.Nodes)
            {
                var found = store.Registry.TryGetForRecovery(n.Handle.LogicalId, out var current);
                if (found == RecoveryLookup.Damaged) continue;
                uint now = found == RecoveryLookup.Found ? current.Version : 0;
                if (now < n.Handle.Version - 1) return true;
            }
        }
        return false;
    }

    public void Replay(LoggedRecord logged, int slot) => Replay(CommitRecord.Decode(logged.Payload), logged.Seq, slot);

    private void Replay(CommitRecord record, ulong seq, int slot)
    {
        foreach (var s in record.Stores)
        {
            var onDisk = StoreFiles.TryReadInfo(fs, layout, s.Name);
            if (s.Drop)
            {
                if (onDisk?.StoreId == s.StoreId) dropStore(s.Name);
                continue;
            }
            if (s.CreateInfo is not null && onDisk is null)
            {
                var info = StoreFiles.DecodeInfo(s.CreateInfo);
                StoreFiles.Materialize(fs, layout, blobs, info, s.Nodes[0]);
                onDisk = info;
            }
            if (onDisk?.StoreId != s.StoreId) continue; // that incarnation was dropped later in the log
            var store = openStore(s.Name);
            if (store is null) continue;
            foreach (var v in s.Values)
                if (!blobs.IsIntact(s.Name, v.Id, EnvelopeKind.Value)) blobs.Write(s.Name, v.Id, EnvelopeKind.Value, v.Payload);
            bool inEffect = s.Nodes.Count == 0;
            foreach (var n in s.Nodes) inEffect |= RedoNode(store, n);
            var (cumulative, lastSeq) = store.Counters.ReadForUpdate(slot);
            if (lastSeq < seq) store.Counters.Write(slot, cumulative + s.CountDelta, seq);
            // Only a commit whose changes are in effect made its old blobs obsolete; a skipped one replaced nothing.
            if (inEffect) foreach (var o in s.Obsolete) _obsolete.Add((s.Name, s.StoreId, o));
        }
        Replayed++;
    }

    /// <summary>Redoes one node change; true when the change is in effect afterwards (applied now or before).</summary>
    private bool RedoNode(StoreRuntime store, CommitRecord.NodeChange change)
    {
        var h = change.Handle;
        var found = store.Registry.TryGetForRecovery(h.LogicalId, out var current);
        bool exists = found == RecoveryLookup.Found;
        // A damaged record was torn while a logged commit wrote it: rewrite it from this record, and the later
        // records of the same node replay forward from there.
        bool applies = found == RecoveryLookup.Damaged
            || (h.Version == 1 && !h.IsDeleted ? !exists : exists && current.Version == h.Version - 1);
        string name = store.Info.Name;
        if (applies)
        {
            if (change.Image is not null && !blobs.IsIntact(name, h.Active, EnvelopeKind.Node)) blobs.Write(name, h.Active, EnvelopeKind.Node, change.Image);
            store.Registry.Write([h]);
            return true;
        }
        bool present = h.IsDeleted ? found == RecoveryLookup.Absent : exists && current == h;
        if (present && !h.IsDeleted && change.Image is not null && !blobs.IsIntact(name, h.Active, EnvelopeKind.Node))
            blobs.Write(name, h.Active, EnvelopeKind.Node, change.Image); // the handle made it to disk, the blob was torn
        return present;
    }

    /// <summary>Step 6: the blobs the replayed commits replaced, in stores that still exist as that incarnation.</summary>
    public List<(string Store, BlobId Blob)> TakeObsolete()
    {
        var result = _obsolete.Where(o => StoreFiles.TryReadInfo(fs, layout, o.Store)?.StoreId == o.StoreId).Select(o => (o.Store, o.Blob)).ToList();
        _obsolete.Clear();
        return result;
    }
}
