using System.Text.Json.Serialization;
using Sop.Ids;

namespace Sop.Transactions;

/// <summary>A store's persistent description (the item count is kept apart, see <see cref="SopEngine.GetCount"/>).</summary>
public sealed record StoreInfo
{
    /// <summary>Format version of this record.</summary>
    public int Format { get; init; } = 1;

    /// <summary>Store name.</summary>
    public required string Name { get; init; }

    /// <summary>Identity of this incarnation of the name (a dropped and re-created store gets a new one).</summary>
    public required Guid StoreId { get; init; }

    /// <summary>Items per node.</summary>
    public required int SlotLength { get; init; }

    /// <summary>One item per key when true.</summary>
    public required bool UniqueKeys { get; init; }

    /// <summary>Values inside node blobs when true.</summary>
    public required bool ValueInNode { get; init; }

    /// <summary>Id of the key comparer the store was created with.</summary>
    public required string KeyComparer { get; init; }

    /// <summary>Key type name the store was created with.</summary>
    public required string KeyType { get; init; }

    /// <summary>Value type name the store was created with.</summary>
    public required string ValueType { get; init; }

    /// <summary>The root node's logical id; it never changes (a root split moves the root's content into new children).</summary>
    [JsonIgnore]
    public NodeId RootId => new(RootNodeId);

    /// <summary>The root node's logical id as stored.</summary>
    public required Guid RootNodeId { get; init; }

    /// <summary>Creation time.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Free text.</summary>
    public string? Description { get; init; }
}
