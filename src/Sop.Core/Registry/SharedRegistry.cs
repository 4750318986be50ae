using Sop.Coordination;
using Sop.Ids;

namespace Sop.Registry;

/// <summary>
/// A store's registry on a folder shared by several hosts: lookups take a node's handle from the engine's
/// <see cref="SharedView"/> when it has one (the lock server's truth for this generation) and from the file's
/// in-memory copy otherwise. Writes, recovery lookups and scans go to the file itself, read fresh under its writer lock.
/// </summary>
internal sealed class SharedRegistry(RegistryFile file, Guid storeId, SharedView view) : IRegistry
{
    /// <summary>The file under the shared view.</summary>
    public RegistryFile File { get; } = file;

    /// <inheritdoc />
    public bool TryGet(NodeId id, out Handle handle)
    {
        if (view.TryGetHandle(storeId, id, out handle))
        {
            if (!handle.IsDeleted) return true;
            handle = default;
            return false;
        }
        return File.TryGet(id, out handle);
    }

    /// <inheritdoc />
    public RecoveryLookup TryGetForRecovery(NodeId id, out Handle handle) => File.TryGetForRecovery(id, out handle);

    /// <inheritdoc />
    public void Write(ReadOnlySpan<Handle> handles) => File.Write(handles);

    /// <inheritdoc />
    public void Refresh() => File.Refresh();

    /// <inheritdoc />
    public void Flush() => File.Flush();

    /// <inheritdoc />
    /// <remarks>The file's live handles, with the shared view's newer ones (and nodes other hosts added or removed) on top.</remarks>
    public IReadOnlyList<Handle> Scan()
    {
        var byId = File.Scan().ToDictionary(h => h.LogicalId);
        foreach (var h in view.HandlesOf(storeId))
        {
            if (byId.TryGetValue(h.LogicalId, out var onFile) && onFile.Version >= h.Version) continue;
            if (h.IsDeleted) byId.Remove(h.LogicalId);
            else byId[h.LogicalId] = h;
        }
        return [.. byId.Values];
    }

    /// <inheritdoc />
    public void Dispose() => File.Dispose();
}
