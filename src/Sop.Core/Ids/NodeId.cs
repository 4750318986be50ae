namespace Sop.Ids;

/// <summary>Logical identity of a B-Tree node. Stable for the node's whole life; the registry maps it to a <see cref="BlobId"/>.</summary>
/// <param name="Value">The underlying UUID.</param>
public readonly record struct NodeId(Guid Value)
{
    /// <summary>Creates a fresh random node id.</summary>
    public static NodeId New() => new(RandomGuids.New());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");
}
