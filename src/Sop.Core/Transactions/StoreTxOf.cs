using Sop.Blobs;
using Sop.Caching;
using Sop.Errors;
using Sop.Ids;
using Sop.Log;
using Sop.Nodes;
using Sop.Registry;
using Sop.Storage;
using Sop.Trees;

namespace Sop.Transactions;

/// <summary>
/// A transaction's typed view of one store: pins each node at the version it first read, clones nodes it changes,
/// and stages value blobs. Implements the node access the tree algorithms run on.
/// </summary>
internal sealed class StoreTx<TKey, TValue> : StoreTx, INodeAccess<TKey, TValue>
{
    private readonly Dictionary<NodeId, (Node<TKey, TValue> Node, Handle Handle)> _pinned = [];
    private readonly Dictionary<NodeId, Node<TKey, TValue>> _dirty = [];
    private readonly HashSet<NodeId> _added = [];
    private readonly HashSet<NodeId> _deleted = [];
    private readonly Dictionary<BlobId, byte[]> _pendingValues = [];
    private readonly List<BlobId> _obsoleteValues = [];
    private readonly HashSet<ItemId> _touched = [];
    private readonly IBlobStore _blobs;
    private readonly NodeCache _cache;

    public StoreTx(StoreRuntime store, NodeCodec<TKey, TValue> codec, SopKeyComparer<TKey> comparer, IBlobStore blobs, NodeCache cache, int inlineValueMaxBytes)
        : base(store)
    {
        Codec = codec;
        Comparer = comparer;
        _blobs = blobs;
        _cache = cache;
        InlineValueMaxBytes = inlineValueMaxBytes;
        Ops = new TreeOps<TKey, TValue>(this);
    }

    public NodeCodec<TKey, TValue> Codec { get; }

    public TreeOps<TKey, TValue> Ops { get; }

    public int InlineValueMaxBytes { get; }

    /// <summary>Bumped by every structural change, so cursors know to re-seek.</summary>
    public int Stamp { get; private set; }

    public NodeId RootId => Store.Info.RootId;

    public int SlotLength => Store.Info.SlotLength;

    public IComparer<TKey> Comparer { get; }

    public override bool HasChanges => _dirty.Count > 0 || _deleted.Count > 0 || CountDelta != 0;

    public Node<TKey, TValue> Read(NodeId id)
    {
        if (_dirty.TryGetValue(id, out var d)) return d;
        if (_pinned.TryGetValue(id, out var p)) return p.Node;
        return Load(id);
    }

    private Node<TKey, TValue> Load(NodeId id)
    {
        if (Store.Dropped) throw new StoreNotFoundException($"store '{Store.Info.Name}' was deleted");
        for (int attempt = 0; ; attempt++)
        {
            if (!Store.Registry.TryGet(id, out var handle))
                throw new TransactionConflictException(Store.Info.Name, null, $"store '{Store.Info.Name}' changed under the transaction (node {id} is gone); retry it");
            if (_cache.TryGet(handle.Active) is Node<TKey, TValue> cached)
            {
                _pinned[id] = (cached, handle);
                return cached;
            }
            byte[]? payload = _blobs.TryRead(Store.Info.Name, handle.Active, EnvelopeKind.Node);
            if (payload is null)
            {
                // The blob was replaced and reclaimed after we read the handle: read the handle again.
                if (attempt < 3) continue;
                throw new DataCorruptionException($"node {id} of store '{Store.Info.Name}' names blob {handle.Active}, which does not exist");
            }
            var node = Codec.Decode(payload);
            _cache.Put(handle.Active, node, node.EstimatedBytes);
            _pinned[id] = (node, handle);
            return node;
        }
    }

    public Node<TKey, TValue> Write(NodeId id)
    {
        if (_dirty.TryGetValue(id, out var d)) return d;
        var clone = Read(id).Clone();
        _dirty[id] = clone;
        Stamp++;
        return clone;
    }

    public Node<TKey, TValue> Create(bool leaf)
    {
        var node = new Node<TKey, TValue>(NodeId.New(), [], leaf ? null : []);
        _dirty[node.Id] = node;
        _added.Add(node.Id);
        Stamp++;
        return node;
    }

    public void Delete(NodeId id)
    {
        _dirty.Remove(id);
        if (!_added.Remove(id)) _deleted.Add(id);
        Stamp++;
    }

    /// <summary>Marks a structural or content change for cursors.</summary>
    public void Touch() => Stamp++;

    /// <summary>The version an item gets when this transaction changes it: +1 the first time, unchanged after.</summary>
    public uint NextVersion(in Item<TKey, TValue> item) => _touched.Add(item.Id) ? item.Version + 1 : item.Version;

    public void MarkNew(ItemId id) => _touched.Add(id);

    /// <summary>Places a value inline or in a staged value blob, per the store's layout and the inline limit.</summary>
    public void PlaceValue(ref Item<TKey, TValue> item, TValue value)
    {
        byte[]? encoded = null;
        bool inline = Store.Info.ValueInNode && (encoded = Codec.EncodeValue(value)).Length <= InlineValueMaxBytes;
        if (inline)
        {
            item.Value = value;
            item.ValueBlob = BlobId.None;
            return;
        }
        var blob = BlobId.New();
        _pendingValues[blob] = encoded ?? Codec.EncodeValue(value);
        item.Value = default;
        item.ValueBlob = blob;
    }

    /// <summary>Called when an item's value (or the item) goes away: a staged blob is dropped, a committed one becomes obsolete.</summary>
    public void ReleaseValue(in Item<TKey, TValue> item)
    {
        if (!item.HasValueBlob) return;
        if (!_pendingValues.Remove(item.ValueBlob)) _obsoleteValues.Add(item.ValueBlob);
    }

    public TValue? LoadValue(in Item<TKey, TValue> item)
    {
        if (!item.HasValueBlob) return item.Value;
        if (_pendingValues.TryGetValue(item.ValueBlob, out var staged)) return Codec.DecodeValue(staged);
        byte[]? payload = _blobs.TryRead(Store.Info.Name, item.ValueBlob, EnvelopeKind.Value)
            ?? throw new TransactionConflictException(Store.Info.Name, null, "a value read by the transaction was replaced and reclaimed; retry it");
        return Codec.DecodeValue(payload);
    }

    public override IEnumerable<Handle> SeenHandles() => _pinned.Values.Select(p => p.Handle);

    public override void ForgetCleanNodes()
    {
        if (_dirty.Count == 0 && _deleted.Count == 0) _pinned.Clear();
    }

    public override CommitRecord.StoreSection BuildSection(List<(BlobId Blob, object Node, int Bytes)> newNodes)
    {
        var section = new CommitRecord.StoreSection { Name = Store.Info.Name, StoreId = Store.Info.StoreId, CountDelta = CountDelta };
        foreach (var (id, node) in _dirty)
        {
            var blob = BlobId.New();
            byte[] image = Codec.Encode(node);
            var handle = _added.Contains(id) ? Handle.ForNew(id, blob) : _pinned[id].Handle.Flip(blob);
            if (!_added.Contains(id)) section.Obsolete.Add(_pinned[id].Handle.Active);
            section.Nodes.Add(new CommitRecord.NodeChange(handle, image));
            newNodes.Add((blob, node, node.EstimatedBytes));
        }
        foreach (var id in _deleted)
        {
            var pinned = _pinned[id].Handle;
            section.Nodes.Add(new CommitRecord.NodeChange(pinned.AsDeleted(), null));
            section.Obsolete.Add(pinned.Active);
        }
        foreach (var (blob, payload) in _pendingValues) section.Values.Add(new CommitRecord.ValueWrite(blob, payload));
        section.Obsolete.AddRange(_obsoleteValues);
        return section;
    }
}
