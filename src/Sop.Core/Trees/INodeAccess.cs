using Sop.Ids;
using Sop.Nodes;

namespace Sop.Trees;

/// <summary>How the tree algorithms reach nodes: through a transaction, which pins what it read and clones what it changes.</summary>
internal interface INodeAccess<TKey, TValue>
{
    NodeId RootId { get; }

    int SlotLength { get; }

    IComparer<TKey> Comparer { get; }

    /// <summary>The node as this transaction sees it (its own change, or the version it first read). Do not mutate.</summary>
    Node<TKey, TValue> Read(NodeId id);

    /// <summary>This transaction's private, mutable copy of the node.</summary>
    Node<TKey, TValue> Write(NodeId id);

    /// <summary>A new empty node owned by this transaction.</summary>
    Node<TKey, TValue> Create(bool leaf);

    /// <summary>Removes a node from the tree (the commit deletes its handle).</summary>
    void Delete(NodeId id);
}
