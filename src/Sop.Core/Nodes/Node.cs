using Sop.Ids;

namespace Sop.Nodes;

/// <summary>
/// A B+Tree node: a leaf holds items; an inner node holds separators and one more child id than separators
/// (child i holds the entries e with separator[i-1] &lt;= e &lt; separator[i], ordered by key then item id).
/// </summary>
/// <remarks>A node read from a blob or the L1 cache is shared and never mutated; a transaction mutates its own clone.</remarks>
internal sealed class Node<TKey, TValue>
{
    public Node(NodeId id, List<Item<TKey, TValue>> items, List<NodeId>? children)
    {
        Id = id;
        Items = items;
        Children = children;
    }

    public NodeId Id { get; }

    public List<Item<TKey, TValue>> Items { get; set; }

    /// <summary>Child ids of an inner node; null for a leaf.</summary>
    public List<NodeId>? Children { get; set; }

    public bool IsLeaf => Children is null;

    public int Count => Items.Count;

    /// <summary>Rough size in bytes, for the L1 cache's byte bound.</summary>
    public int EstimatedBytes { get; set; }

    /// <summary>
    /// Set once the node is shared (cached, pinned by transactions): from then on it is never changed (writers clone
    /// it), so search aids derived from its items stay valid.
    /// </summary>
    public bool Frozen { get; private set; }

    /// <summary>A search aid built lazily for a frozen node (see <see cref="Trees.StringKeyIndex"/>); null until first needed.</summary>
    public object? SearchIndex { get; set; }

    public void Freeze() => Frozen = true;

    public Node<TKey, TValue> Clone() => new(Id, new List<Item<TKey, TValue>>(Items), Children is null ? null : new List<NodeId>(Children))
    {
        EstimatedBytes = EstimatedBytes,
    };
}
