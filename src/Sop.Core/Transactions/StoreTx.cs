using Sop.Ids;
using Sop.Log;
using Sop.Registry;

namespace Sop.Transactions;

/// <summary>What a transaction did to one store: the node versions it saw (point A) and the nodes it changed.</summary>
internal abstract class StoreTx(StoreRuntime store)
{
    public StoreRuntime Store { get; } = store;

    public long CountDelta { get; set; }

    /// <summary>The engine's publish sequence when this state's pins were last known current.</summary>
    public long CheckedAtPublishSeq { get; set; } = -1;

    public abstract bool HasChanges { get; }

    /// <summary>Every node read or changed, with the registry handle it had when first read (added nodes excluded).</summary>
    public abstract IEnumerable<Handle> SeenHandles();

    /// <summary>Encodes the changes into a commit-record section and lists the new nodes for the L1 cache.</summary>
    public abstract CommitRecord.StoreSection BuildSection(List<(BlobId Blob, object Node, int Bytes)> newNodes);

    /// <summary>True when reads happened that only node versions can validate (cursor moves).</summary>
    public abstract bool HasOpaqueReads { get; }

    /// <summary>The in-flight merge: a new state built by replaying this one's operation log on the latest tree.</summary>
    public abstract StoreTx Replay();

    /// <summary>Existing nodes this transaction changes or removes (the ones to lock; added nodes are new ids).</summary>
    public abstract IEnumerable<NodeId> WrittenExistingNodes();

    /// <summary>True when the transaction changes or removes the node.</summary>
    public abstract bool IsWritten(NodeId id);

    /// <summary>Entries in the operation log so far.</summary>
    public abstract int LogLength { get; }

    /// <summary>True when every node read (and not changed) still has the version this transaction pinned.</summary>
    public abstract bool CleanPinsCurrent();

    /// <summary>Rebuilds this state on the latest tree by replaying the first entries of its log.</summary>
    public abstract void ResetAndReplay(int logLength);

    /// <summary>Drops cached clean nodes so the next read sees the latest committed state (NoCheck re-reads).</summary>
    public abstract void ForgetCleanNodes();
}
