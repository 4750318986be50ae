using Sop.Ids;

namespace Sop.Registry;

/// <summary>Maps logical node ids to <see cref="Handle"/>s for one store, in O(1).</summary>
/// <remarks>
/// Each handle is written on its own (one positioned write of its record, never read-modify-write of a shared
/// block). Writes go through the page cache; <see cref="Flush"/> makes them durable (the checkpoint calls it).
/// Thread-safe.
/// </remarks>
public interface IRegistry : IDisposable
{
    /// <summary>Looks up a live handle (tombstones are absent).</summary>
    bool TryGet(NodeId id, out Handle handle);

    /// <summary>
    /// Recovery's lookup: like <see cref="TryGet"/>, but a damaged record (bad CRC, e.g. a torn write) is reported as
    /// <see cref="RecoveryLookup.Damaged"/> when it carries this id, and skipped otherwise, instead of throwing.
    /// </summary>
    RecoveryLookup TryGetForRecovery(NodeId id, out Handle handle);

    /// <summary>Inserts or replaces each handle by logical id; a handle with <see cref="Handle.IsDeleted"/> leaves a tombstone.</summary>
    void Write(ReadOnlySpan<Handle> handles);

    /// <summary>Picks up changes of the registry's shape made by other engines on the folder (no-op where there are none).</summary>
    void Refresh();

    /// <summary>Makes every write so far durable.</summary>
    void Flush();

    /// <summary>Every live handle (for sweeps and tests).</summary>
    IReadOnlyList<Handle> Scan();
}
