using Sop.Ids;
using Sop.Nodes;

namespace Sop.Trees;

/// <summary>
/// The B+Tree algorithms: seek, walk, insert with splits, delete with borrow/merge, on nodes reached through an
/// <see cref="INodeAccess{TKey, TValue}"/>. Entries are ordered by (key, item id); the root id never changes.
/// </summary>
/// <remarks>
/// Fill rule: a non-root node holds between <c>SlotLength / 2</c> and <c>SlotLength</c> entries (separators for
/// inner nodes); every leaf is at the same depth.
/// </remarks>
internal sealed class TreeOps<TKey, TValue>(INodeAccess<TKey, TValue> access)
{
    private readonly IComparer<TKey> Cmp = access.Comparer; // read once: it is fixed for the access's life

    private int MinFill => access.SlotLength / 2;

    public int CompareEntry(in Item<TKey, TValue> a, TKey key, ItemId id)
    {
        int c = Cmp.Compare(a.Key, key);
        return c != 0 ? c : a.Id.CompareTo(id);
    }

    // ---------- seeking ----------

    /// <summary>Positions at the first entry whose key is &gt;= key. False when there is none.</summary>
    public bool SeekFirstAtLeast(TKey key, TreePath path)
    {
        var leaf = DescendByKey(key, path);
        path.Steps.Add((leaf.Id, CountKeysBelow(leaf, key)));
        return Normalize(path);
    }

    /// <summary>Positions at the first entry strictly after (key, id). False when there is none.</summary>
    public bool SeekAfter(TKey key, ItemId id, TreePath path)
    {
        var leaf = DescendByEntry(key, id, includeEqual: true, path);
        path.Steps.Add((leaf.Id, CountEntriesAtMost(leaf, key, id)));
        return Normalize(path);
    }

    /// <summary>Positions at the last entry whose key is &lt; key. False when there is none.</summary>
    public bool SeekLastBelow(TKey key, TreePath path)
    {
        var leaf = DescendByKey(key, path);
        path.Steps.Add((leaf.Id, CountKeysBelow(leaf, key) - 1));
        return NormalizeBackward(path);
    }

    /// <summary>Positions at the last entry strictly before (key, id). False when there is none.</summary>
    public bool SeekBefore(TKey key, ItemId id, TreePath path)
    {
        var leaf = DescendByEntry(key, id, includeEqual: false, path);
        path.Steps.Add((leaf.Id, CountEntriesBelow(leaf, key, id) - 1));
        return NormalizeBackward(path);
    }

    public bool First(TreePath path)
    {
        path.Clear();
        var leaf = DescendToEdge(access.Read(access.RootId), leftmost: true, path);
        path.Steps.Add((leaf.Id, 0));
        return Normalize(path);
    }

    public bool Last(TreePath path)
    {
        path.Clear();
        var leaf = DescendToEdge(access.Read(access.RootId), leftmost: false, path);
        path.Steps.Add((leaf.Id, leaf.Count - 1));
        return NormalizeBackward(path);
    }

    /// <summary>Descends to the leaf holding the first entry with <paramref name="key"/> (keys below it go left), recording the inner steps when a path is given.</summary>
    private Node<TKey, TValue> DescendByKey(TKey key, TreePath? path)
    {
        path?.Clear();
        var node = access.Read(access.RootId);
        while (!node.IsLeaf)
        {
            int i = CountKeysBelow(node, key);
            path?.Steps.Add((node.Id, i));
            node = access.Read(node.Children![i]);
        }
        return node;
    }

    /// <summary>
    /// Descends to the leaf where the entry (key, id) belongs, recording the inner steps when a path is given. With
    /// <paramref name="includeEqual"/> a separator equal to the entry sends it right (where that entry lives).
    /// </summary>
    private Node<TKey, TValue> DescendByEntry(TKey key, ItemId id, bool includeEqual, TreePath? path)
    {
        path?.Clear();
        var node = access.Read(access.RootId);
        while (!node.IsLeaf)
        {
            int i = CountEntries(node, key, id, includeEqual);
            path?.Steps.Add((node.Id, i));
            node = access.Read(node.Children![i]);
        }
        return node;
    }

    /// <summary>Descends from <paramref name="node"/> to its leftmost or rightmost leaf, appending the inner steps.</summary>
    private Node<TKey, TValue> DescendToEdge(Node<TKey, TValue> node, bool leftmost, TreePath path)
    {
        while (!node.IsLeaf)
        {
            int i = leftmost ? 0 : node.Children!.Count - 1;
            path.Steps.Add((node.Id, i));
            node = access.Read(node.Children![i]);
        }
        return node;
    }

    public bool Next(TreePath path)
    {
        path.SetLeafIndex(path.Leaf.Index + 1);
        return Normalize(path);
    }

    public bool Previous(TreePath path)
    {
        path.SetLeafIndex(path.Leaf.Index - 1);
        return NormalizeBackward(path);
    }

    /// <summary>The leaf the path ends in, for loops over its items without a node lookup per item.</summary>
    public Node<TKey, TValue> LeafOf(TreePath path) => access.Read(path.Leaf.Node);

    /// <summary>
    /// Moves to item <paramref name="index"/> of the current leaf, which may be one past either end of it (then to the
    /// first item of the next leaf, or the last of the previous one). False when there is no such item.
    /// </summary>
    public bool MoveTo(TreePath path, int index, bool descending)
    {
        path.SetLeafIndex(index);
        return descending ? NormalizeBackward(path) : Normalize(path);
    }

    public ref readonly Item<TKey, TValue> Current(TreePath path)
    {
        var (leaf, index) = path.Leaf;
        return ref System.Runtime.InteropServices.CollectionsMarshal.AsSpan(access.Read(leaf).Items)[index];
    }

    /// <summary>Moves a leaf index that ran past the end of its leaf to the start of the next leaf.</summary>
    private bool Normalize(TreePath path)
    {
        while (true)
        {
            var (leafId, index) = path.Leaf;
            if (index < access.Read(leafId).Count) return true;
            // climb to the first ancestor with a next child
            int level = path.Depth - 2;
            while (level >= 0 && path.Steps[level].Index >= access.Read(path.Steps[level].Node).Children!.Count - 1) level--;
            if (level < 0)
            {
                path.SetLeafIndex(access.Read(leafId).Count); // parked past the end
                return false;
            }
            path.Steps[level] = (path.Steps[level].Node, path.Steps[level].Index + 1);
            path.Steps.RemoveRange(level + 1, path.Depth - level - 1);
            var leaf = DescendToEdge(access.Read(access.Read(path.Steps[level].Node).Children![path.Steps[level].Index]), leftmost: true, path);
            path.Steps.Add((leaf.Id, 0));
        }
    }

    /// <summary>Moves a leaf index that ran below 0 to the end of the previous leaf.</summary>
    private bool NormalizeBackward(TreePath path)
    {
        while (true)
        {
            var (_, index) = path.Leaf;
            if (index >= 0) return true;
            int level = path.Depth - 2;
            while (level >= 0 && path.Steps[level].Index == 0) level--;
            if (level < 0)
            {
                path.SetLeafIndex(-1);
                return false;
            }
            path.Steps[level] = (path.Steps[level].Node, path.Steps[level].Index - 1);
            path.Steps.RemoveRange(level + 1, path.Depth - level - 1);
            var leaf = DescendToEdge(access.Read(access.Read(path.Steps[level].Node).Children![path.Steps[level].Index]), leftmost: false, path);
            path.Steps.Add((leaf.Id, leaf.Count - 1));
        }
    }

    /// <summary>String keys in UTF-8 order: frozen nodes are searched through a <see cref="StringKeyIndex"/>.</summary>
    private readonly bool _indexStringKeys = typeof(TKey) == typeof(string) && access.Comparer is Utf8OrdinalComparer;

    private int CountKeysBelow(Node<TKey, TValue> node, TKey key)
    {
        if (_indexStringKeys && node.Frozen && node.Count > 8)
        {
            var index = node.SearchIndex as StringKeyIndex;
            if (index is null) node.SearchIndex = index = StringKeyIndex.Build((List<Item<string, TValue>>)(object)node.Items); // a racing build makes an equal one
            return index.CountBelow((string)(object)key!);
        }
        var items = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(node.Items);
        int lo = 0, hi = items.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Cmp.Compare(items[mid].Key, key) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private int CountEntriesAtMost(Node<TKey, TValue> node, TKey key, ItemId id) => CountEntries(node, key, id, includeEqual: true);

    private int CountEntriesBelow(Node<TKey, TValue> node, TKey key, ItemId id) => CountEntries(node, key, id, includeEqual: false);

    /// <summary>How many entries sort before (key, id), or also equal to it: a binary search over the node.</summary>
    private int CountEntries(Node<TKey, TValue> node, TKey key, ItemId id, bool includeEqual)
    {
        var items = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(node.Items);
        int lo = 0, hi = items.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = CompareEntry(items[mid], key, id);
            if (c < 0 || (includeEqual && c == 0)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Finds the entry (key, id) exactly.</summary>
    public bool TryFindExact(TKey key, ItemId id, out Item<TKey, TValue> item)
    {
        var node = DescendByEntry(key, id, includeEqual: true, path: null);
        int at = CountEntriesBelow(node, key, id);
        if (at < node.Count && CompareEntry(node.Items[at], key, id) == 0)
        {
            item = node.Items[at];
            return true;
        }
        item = default;
        return false;
    }

    /// <summary>Finds the first entry whose key equals <paramref name="key"/>.</summary>
    public bool TryFindFirst(TKey key, out Item<TKey, TValue> item)
    {
        // One descent without a path: the leaf reached holds the first entry with the key unless all its keys are below it.
        var node = DescendByKey(key, path: null);
        int at = CountKeysBelow(node, key);
        if (at < node.Count)
        {
            item = node.Items[at];
            if (Cmp.Compare(item.Key, key) == 0) return true;
            item = default;
            return false;
        }
        var path = new TreePath();
        if (SeekFirstAtLeast(key, path))
        {
            item = Current(path);
            if (Cmp.Compare(item.Key, key) == 0) return true;
        }
        item = default;
        return false;
    }

    // ---------- changing ----------

    /// <summary>
    /// Inserts the entry unless an entry with an equal key exists (returned in <paramref name="existing"/>), with one
    /// descent in the common case: an equal key can only sit right beside the insert position.
    /// </summary>
    public bool InsertIfKeyAbsent(in Item<TKey, TValue> item, out Item<TKey, TValue> existing)
    {
        var path = new TreePath();
        var node = DescendByEntry(item.Key, item.Id, includeEqual: true, path);
        int at = CountEntriesAtMost(node, item.Key, item.Id);
        if (at == 0 || at == node.Count)
        {
            // the neighbour may be in the next or previous leaf
            if (TryFindFirst(item.Key, out existing)) return false;
        }
        else if (Cmp.Compare(node.Items[at - 1].Key, item.Key) == 0 || Cmp.Compare(node.Items[at].Key, item.Key) == 0)
        {
            TryFindFirst(item.Key, out existing);
            return false;
        }
        existing = default;
        var leaf = access.Write(node.Id);
        leaf.Items.Insert(at, item);
        SplitUpward(path, leaf);
        return true;
    }

    /// <summary>Inserts an entry at its (key, id) place and splits full nodes on the way up.</summary>
    public void Insert(in Item<TKey, TValue> item)
    {
        var path = new TreePath();
        var node = DescendByEntry(item.Key, item.Id, includeEqual: true, path);
        var leaf = access.Write(node.Id);
        leaf.Items.Insert(CountEntriesAtMost(leaf, item.Key, item.Id), item);
        SplitUpward(path, leaf);
    }

    private void SplitUpward(TreePath parents, Node<TKey, TValue> node)
    {
        int level = parents.Depth - 1;
        while (node.Count > access.SlotLength)
        {
            if (level < 0)
            {
                SplitRoot(node);
                return;
            }
            var (parentId, childIndex) = parents.Steps[level];
            var right = SplitOff(node, out var separator);
            var parent = access.Write(parentId);
            parent.Items.Insert(childIndex, separator);
            parent.Children!.Insert(childIndex + 1, right.Id);
            node = parent;
            level--;
        }
    }

    /// <summary>Moves the upper half of an overfull node into a new right sibling; returns it and the separator for the parent.</summary>
    private Node<TKey, TValue> SplitOff(Node<TKey, TValue> node, out Item<TKey, TValue> separator)
    {
        var right = access.Create(node.IsLeaf);
        int n = node.Count;
        int mid = n / 2;
        if (node.IsLeaf)
        {
            right.Items.AddRange(node.Items.GetRange(mid, n - mid));
            node.Items.RemoveRange(mid, n - mid);
            separator = right.Items[0].AsSeparator();
        }
        else
        {
            separator = node.Items[mid];
            right.Items.AddRange(node.Items.GetRange(mid + 1, n - mid - 1));
            right.Children!.AddRange(node.Children!.GetRange(mid + 1, n - mid));
            node.Items.RemoveRange(mid, n - mid);
            node.Children!.RemoveRange(mid + 1, n - mid);
        }
        return right;
    }

    /// <summary>The root keeps its id: its content moves into two new children.</summary>
    private void SplitRoot(Node<TKey, TValue> root)
    {
        var left = access.Create(root.IsLeaf);
        left.Items.AddRange(root.Items);
        if (!root.IsLeaf) left.Children!.AddRange(root.Children!);
        var right = SplitOff(left, out var separator);
        root.Items = [separator];
        root.Children = [left.Id, right.Id];
    }

    /// <summary>Removes the entry (key, id) if present; rebalances. Returns the removed entry.</summary>
    public bool Delete(TKey key, ItemId id, out Item<TKey, TValue> removed)
    {
        var path = new TreePath();
        var node = DescendByEntry(key, id, includeEqual: true, path);
        int at = CountEntriesBelow(node, key, id);
        if (at >= node.Count || CompareEntry(node.Items[at], key, id) != 0)
        {
            removed = default;
            return false;
        }
        var leaf = access.Write(node.Id);
        removed = leaf.Items[at];
        leaf.Items.RemoveAt(at);
        Rebalance(path, leaf);
        return true;
    }

    /// <summary>Replaces the entry (key, id) in its leaf. Returns false when it is not there.</summary>
    public bool Replace(in Item<TKey, TValue> item, out Item<TKey, TValue> previous)
    {
        var node = DescendByEntry(item.Key, item.Id, includeEqual: true, path: null);
        int at = CountEntriesBelow(node, item.Key, item.Id);
        if (at >= node.Count || CompareEntry(node.Items[at], item.Key, item.Id) != 0)
        {
            previous = default;
            return false;
        }
        var leaf = access.Write(node.Id);
        previous = leaf.Items[at];
        leaf.Items[at] = item;
        return true;
    }

    private void Rebalance(TreePath parents, Node<TKey, TValue> node)
    {
        int level = parents.Depth - 1;
        while (level >= 0 && node.Count < MinFill)
        {
            var (parentId, ci) = parents.Steps[level];
            var parent = access.Write(parentId);
            var leftRead = ci > 0 ? access.Read(parent.Children![ci - 1]) : null;
            var rightRead = ci < parent.Children!.Count - 1 ? access.Read(parent.Children[ci + 1]) : null;
            if (leftRead is not null && leftRead.Count > MinFill) BorrowFromLeft(parent, ci, access.Write(leftRead.Id), node);
            else if (rightRead is not null && rightRead.Count > MinFill) BorrowFromRight(parent, ci, node, access.Write(rightRead.Id));
            else if (leftRead is not null) Merge(parent, ci - 1, access.Write(leftRead.Id), node);
            else if (rightRead is not null) Merge(parent, ci, node, access.Write(rightRead.Id));
            node = parent;
            level--;
        }
        if (level < 0 && !node.IsLeaf && node.Count == 0) CollapseRoot(node);
    }

    private static void BorrowFromLeft(Node<TKey, TValue> parent, int ci, Node<TKey, TValue> left, Node<TKey, TValue> node)
    {
        if (node.IsLeaf)
        {
            node.Items.Insert(0, left.Items[^1]);
            left.Items.RemoveAt(left.Count - 1);
            parent.Items[ci - 1] = node.Items[0].AsSeparator();
        }
        else
        {
            node.Items.Insert(0, parent.Items[ci - 1]);
            node.Children!.Insert(0, left.Children![^1]);
            parent.Items[ci - 1] = left.Items[^1];
            left.Items.RemoveAt(left.Count - 1);
            left.Children.RemoveAt(left.Children.Count - 1);
        }
    }

    private static void BorrowFromRight(Node<TKey, TValue> parent, int ci, Node<TKey, TValue> node, Node<TKey, TValue> right)
    {
        if (node.IsLeaf)
        {
            node.Items.Add(right.Items[0]);
            right.Items.RemoveAt(0);
            parent.Items[ci] = right.Items[0].AsSeparator();
        }
        else
        {
            node.Items.Add(parent.Items[ci]);
            node.Children!.Add(right.Children![0]);
            parent.Items[ci] = right.Items[0];
            right.Items.RemoveAt(0);
            right.Children.RemoveAt(0);
        }
    }

    /// <summary>Merges <paramref name="right"/> into <paramref name="left"/>; separator index <paramref name="si"/> in the parent goes away.</summary>
    private void Merge(Node<TKey, TValue> parent, int si, Node<TKey, TValue> left, Node<TKey, TValue> right)
    {
        if (!left.IsLeaf)
        {
            left.Items.Add(parent.Items[si]);
            left.Children!.AddRange(right.Children!);
        }
        left.Items.AddRange(right.Items);
        parent.Items.RemoveAt(si);
        parent.Children!.RemoveAt(si + 1);
        access.Delete(right.Id);
    }

    /// <summary>An inner root with one child takes over that child's content (the root id never changes).</summary>
    private void CollapseRoot(Node<TKey, TValue> root)
    {
        var child = access.Read(root.Children![0]);
        root.Items = new List<Item<TKey, TValue>>(child.Items);
        root.Children = child.Children is null ? null : new List<NodeId>(child.Children);
        access.Delete(child.Id);
    }
}
