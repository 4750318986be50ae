using Sop.Ids;
using Sop.Nodes;

namespace Sop.Trees;

/// <summary>Checks the B+Tree's structural rules; used by tests and by diagnostics. Returns the number of items.</summary>
internal static class TreeInvariants
{
    public static long Check<TKey, TValue>(INodeAccess<TKey, TValue> access)
    {
        int leafDepth = -1;
        long items = 0;
        Walk(access, access.RootId, 0, isRoot: true, lower: null, upper: null, ref leafDepth, ref items);
        return items;
    }

    private static void Walk<TKey, TValue>(INodeAccess<TKey, TValue> access, NodeId id, int depth, bool isRoot,
        Item<TKey, TValue>? lower, Item<TKey, TValue>? upper, ref int leafDepth, ref long items)
    {
        var node = access.Read(id);
        var cmp = access.Comparer;
        int Compare(in Item<TKey, TValue> a, in Item<TKey, TValue> b)
        {
            int c = cmp.Compare(a.Key, b.Key);
            return c != 0 ? c : a.Id.CompareTo(b.Id);
        }
        if (node.Id != id) Fail($"node {id} holds id {node.Id}");
        if (node.Count > access.SlotLength) Fail($"node {id} holds {node.Count} > slot length {access.SlotLength}");
        if (!isRoot && node.Count < access.SlotLength / 2) Fail($"node {id} holds {node.Count} < minimum {access.SlotLength / 2}");
        for (int i = 1; i < node.Count; i++)
            if (Compare(node.Items[i - 1], node.Items[i]) >= 0) Fail($"node {id}: entries {i - 1} and {i} are out of order");
        if (node.Count > 0)
        {
            if (lower is { } lo && Compare(node.Items[0], lo) < 0) Fail($"node {id}: first entry below its lower separator");
            if (upper is { } hi && Compare(node.Items[^1], hi) >= 0) Fail($"node {id}: last entry not below its upper separator");
        }
        if (node.IsLeaf)
        {
            if (leafDepth < 0) leafDepth = depth;
            else if (leafDepth != depth) Fail($"leaf {id} at depth {depth}, other leaves at {leafDepth}");
            items += node.Count;
            return;
        }
        if (node.Children!.Count != node.Count + 1) Fail($"inner node {id}: {node.Children.Count} children for {node.Count} separators");
        if (isRoot && node.Count == 0) Fail($"inner root {id} has no separator");
        for (int i = 0; i < node.Children.Count; i++)
        {
            var childLower = i == 0 ? lower : node.Items[i - 1];
            var childUpper = i == node.Count ? upper : node.Items[i];
            Walk(access, node.Children[i], depth + 1, isRoot: false, childLower, childUpper, ref leafDepth, ref items);
        }
    }

    private static void Fail(string what) => throw new InvalidOperationException("B-Tree invariant broken: " + what);
}
