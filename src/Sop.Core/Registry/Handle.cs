using Sop.Ids;

namespace Sop.Registry;

/// <summary>
/// A registry entry: which blob currently holds a logical node, and how many committed changes it has seen.
/// </summary>
/// <param name="LogicalId">The node's stable id.</param>
/// <param name="PhysicalA">Blob id in slot A.</param>
/// <param name="PhysicalB">Blob id in slot B.</param>
/// <param name="IsActiveB">True when slot B holds the current blob.</param>
/// <param name="Version">Committed changes so far: 1 after the node was added, +1 per committed change.</param>
/// <param name="WorkInProgressUnixSeconds">When a commit started rewriting this node, 0 when none is in progress.</param>
/// <param name="IsDeleted">True for a removed node (a tombstone; lookups treat it as absent).</param>
public readonly record struct Handle(
    NodeId LogicalId,
    BlobId PhysicalA,
    BlobId PhysicalB,
    bool IsActiveB,
    uint Version,
    uint WorkInProgressUnixSeconds,
    bool IsDeleted)
{
    /// <summary>The blob that holds the node now.</summary>
    public BlobId Active => IsActiveB ? PhysicalB : PhysicalA;

    /// <summary>The blob of the previous version (kept until no reader needs it), or none.</summary>
    public BlobId Inactive => IsActiveB ? PhysicalA : PhysicalB;

    /// <summary>A handle for a node added by a commit: version 1, blob in slot A.</summary>
    public static Handle ForNew(NodeId id, BlobId blob) => new(id, blob, BlobId.None, false, 1, 0, false);

    /// <summary>The handle after a commit replaced the node's blob: new blob in the inactive slot, flipped, version + 1.</summary>
    public Handle Flip(BlobId newBlob) =>
        IsActiveB ? this with { PhysicalA = newBlob, IsActiveB = false, Version = Version + 1, WorkInProgressUnixSeconds = 0 }
                  : this with { PhysicalB = newBlob, IsActiveB = true, Version = Version + 1, WorkInProgressUnixSeconds = 0 };

    /// <summary>The tombstone a commit leaves for a removed node.</summary>
    public Handle AsDeleted() => this with { IsDeleted = true, Version = Version + 1, WorkInProgressUnixSeconds = 0 };
}
