using System.Collections.Concurrent;
using Sop.Ids;

namespace Sop.Registry;

/// <summary>A registry in a dictionary, for tests and benchmarks that isolate the tree from the disk.</summary>
public sealed class InMemoryRegistry : IRegistry
{
    private readonly ConcurrentDictionary<NodeId, Handle> _handles = new();

    /// <inheritdoc />
    public bool TryGet(NodeId id, out Handle handle) => _handles.TryGetValue(id, out handle);

    /// <inheritdoc />
    public RecoveryLookup TryGetForRecovery(NodeId id, out Handle handle) => TryGet(id, out handle) ? RecoveryLookup.Found : RecoveryLookup.Absent;

    /// <inheritdoc />
    public void Write(ReadOnlySpan<Handle> handles)
    {
        foreach (var h in handles)
        {
            if (h.IsDeleted) _handles.TryRemove(h.LogicalId, out _);
            else _handles[h.LogicalId] = h;
        }
    }

    /// <inheritdoc />
    public void Refresh()
    {
    }

    /// <inheritdoc />
    public void Flush()
    {
    }

    /// <inheritdoc />
    public IReadOnlyList<Handle> Scan() => _handles.Values.ToList();

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
