using Sop.Ids;

namespace Sop.Trees;

/// <summary>A position in the tree: the nodes from the root to a leaf with the child index taken in each inner node and the item index in the leaf.</summary>
internal sealed class TreePath
{
    public readonly List<(NodeId Node, int Index)> Steps = new(8);

    public int Depth => Steps.Count;

    public (NodeId Node, int Index) Leaf => Steps[^1];

    public void SetLeafIndex(int index) => Steps[^1] = (Steps[^1].Node, index);

    public void Clear() => Steps.Clear();
}
