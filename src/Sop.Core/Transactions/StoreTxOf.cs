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
    private readonly List<TxOp<TKey, TValue>> _log = [];
    private readonly IBlobStore _blobs;
    private readonly NodeCache _cache;
    private readonly IL2Cache _l2;
    private readonly bool _recording;
    private readonly Func<long>? _publishSeq;

    /// <remarks><c>publishSeq</c>: the folder's publish sequence, waiting out a publish in progress; null for a state that re-reads per operation (NoCheck).</remarks>
    public StoreTx(StoreRuntime store, NodeCodec<TKey, TValue> codec, SopKeyComparer<TKey> comparer, IBlobStore blobs, NodeCache cache, IL2Cache l2, int inlineValueMaxBytes,
        bool recording, Func<long>? publishSeq)
        : base(store)
    {
        _l2 = l2;
        _publishSeq = publishSeq;
        Codec = codec;
        KeyComparer = comparer;
        _blobs = blobs;
        _cache = cache;
        InlineValueMaxBytes = inlineValueMaxBytes;
        _recording = recording;
        Ops = new TreeOps<TKey, TValue>(this);
    }

    /// <summary>Set by the transaction: true when the clean pins of its other stores are current.</summary>
    public Func<StoreTx, bool>? OtherStoresCurrent { get; set; }

    /// <summary>True when a cursor was used: its reads cannot be replayed, so any change to a node it saw is a conflict.</summary>
    public override bool HasOpaqueReads => _opaque;

    private bool _opaque;

    public NodeCodec<TKey, TValue> Codec { get; }

    public TreeOps<TKey, TValue> Ops { get; }

    public int InlineValueMaxBytes { get; }

    /// <summary>Bumped by every structural change, so cursors know to re-seek.</summary>
    public int Stamp { get; private set; }

    public NodeId RootId => Store.Info.RootId;

    public int SlotLength => Store.Info.SlotLength;

    public IComparer<TKey> Comparer => KeyComparer;

    public SopKeyComparer<TKey> KeyComparer { get; }

    public override bool HasChanges => _dirty.Count > 0 || _deleted.Count > 0 || CountDelta != 0;

    public Node<TKey, TValue> Read(NodeId id)
    {
        if (_dirty.Count > 0 && _dirty.TryGetValue(id, out var d)) return d;
        if (_pinned.TryGetValue(id, out var p)) return p.Node;
        return Load(id);
    }

    /// <summary>
    /// Reads a node this transaction has not read before. The nodes it read earlier must still be current (checked
    /// whenever a commit was published since the last check, before and after the read): otherwise the new node could
    /// come from a newer committed state than they do, and <see cref="StalePinsException"/> makes the caller rebuild.
    /// </summary>
    private Node<TKey, TValue> Load(NodeId id)
    {
        if (Store.Dropped) throw new StoreNotFoundException($"store '{Store.Info.Name}' was deleted");
        if (_publishSeq is null) return LoadCore(id);
        while (true)
        {
            long seq = EnsurePinsCurrent();
            var node = LoadCore(id);
            if (_publishSeq() == seq) return node;
            _pinned.Remove(id); // a commit was published meanwhile: check again with this node unread
        }
    }

    private long EnsurePinsCurrent()
    {
        while (true)
        {
            long seq = _publishSeq!(); // waits out a publish in progress
            if (seq == CheckedAtPublishSeq) return seq;
            if (!CleanPinsCurrent()) throw new StalePinsException();
            // The transaction's other stores must be as current: a node read now next to one of theirs read before a
            // multi-store commit would show half of that commit.
            if (OtherStoresCurrent?.Invoke(this) == false)
                throw new TransactionConflictException(Store.Info.Name, null,
                    "another store the transaction read was changed by a concurrent commit; the transaction was rolled back, retry it");
            if (_publishSeq() != seq) continue;
            CheckedAtPublishSeq = seq;
            return seq;
        }
    }

    private Node<TKey, TValue> LoadCore(NodeId id)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (!Store.Registry.TryGet(id, out var handle))
                throw new TransactionConflictException(Store.Info.Name, null, $"store '{Store.Info.Name}' changed under the transaction (node {id} is gone); retry it");
            if (_cache.TryGet(handle.Active) is Node<TKey, TValue> cached)
            {
                cached.Freeze(); // it may be the node a commit just published: shared from now on
                _pinned[id] = (cached, handle);
                return cached;
            }
            // L2 (by immutable blob id, so never stale), then the blob file; a failing L2 is just a miss
            byte[]? payload = TryL2(handle.Active) ?? _blobs.TryRead(Store.Info.Name, handle.Active, EnvelopeKind.Node);
            if (payload is null)
            {
                // The blob was replaced and reclaimed after we read the handle: read the handle again.
                if (attempt < 3) continue;
                throw new DataCorruptionException($"node {id} of store '{Store.Info.Name}' names blob {handle.Active}, which does not exist");
            }
            var node = Codec.Decode(payload);
            node.Freeze();
            _cache.Put(handle.Active, node, node.EstimatedBytes);
            _pinned[id] = (node, handle);
            return node;
        }
    }

    private byte[]? TryL2(BlobId blob)
    {
        if (_l2 is NullL2Cache) return null;
        try
        {
            var pending = _l2.TryGetNodeAsync(Store.Info.Name, blob, CancellationToken.None);
            return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
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

    /// <summary>True when this transaction (or its replay so far) already wrote the item.</summary>
    public bool WroteEarlier(ItemId id) => _touched.Contains(id);

    private void DropStagedValue(in Item<TKey, TValue> item)
    {
        if (item.HasValueBlob) _pendingValues.Remove(item.ValueBlob);
    }

    /// <summary>Places a value inline or in a staged value blob, per the store's layout and the inline limit.</summary>
    public void PlaceValue(ref Item<TKey, TValue> item, TValue value)
    {
        byte[]? encoded = null;
        bool inline = Store.Info.ValueInNode
            && (SurelySmall(value) || (encoded = Codec.EncodeValue(value)).Length <= InlineValueMaxBytes);
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

    /// <summary>True when the value's JSON form is certainly within the inline limit, so it need not be encoded to find out.</summary>
    private bool SurelySmall(TValue value) => value switch
    {
        null => true,
        byte[] bytes => ((bytes.Length + 2) / 3 * 4) + 2 <= InlineValueMaxBytes, // base64 in quotes
        string text => (text.Length * 6) + 2 <= InlineValueMaxBytes,           // worst case: every char escaped
        _ => typeof(TValue).IsPrimitive || typeof(TValue) == typeof(decimal) || typeof(TValue) == typeof(Guid),
    };

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

    // ---------- recorded operations (the replayable log) ----------

    public void Record(TxOp<TKey, TValue> op)
    {
        if (_recording) _log.Add(op);
    }

    /// <summary>
    /// Point reads made before anything else was recorded are kept as plain values, not one log object each (a
    /// read-only transaction may make millions): reads with no write between them replay in any order, so they
    /// simply replay first.
    /// </summary>
    private readonly List<(TKey Key, bool Found, ItemId Id, uint Version)> _leadingReads = [];

    private void RecordPointRead(TKey key, bool found, ItemId id, uint version)
    {
        if (!_recording) return;
        if (_log.Count == 0) _leadingReads.Add((key, found, id, version));
        else _log.Add(new PointReadOp<TKey, TValue>(key, found, id, version));
    }

    public void MarkOpaqueRead() => _opaque = _recording;

    /// <summary>Adds an item (with a given id on replay). False when <paramref name="requireAbsent"/> and the key exists.</summary>
    public bool AddItem(TKey key, TValue value, bool requireAbsent, ItemId? id = null)
    {
        var item = new Item<TKey, TValue>(key, id ?? ItemId.New(), 1, default, BlobId.None);
        PlaceValue(ref item, value);
        if (requireAbsent)
        {
            if (!Ops.InsertIfKeyAbsent(item, out var existing))
            {
                DropStagedValue(item);
                RecordPointRead(key, true, existing.Id, existing.Version);
                return false;
            }
        }
        else
        {
            Ops.Insert(item);
        }
        _touched.Add(item.Id);
        CountDelta++;
        Record(new AddOp<TKey, TValue>(key, item.Id, value, requireAbsent));
        return true;
    }

    /// <summary>Replaces the value of a found item (its version goes up once per transaction).</summary>
    public void UpdateItem(in Item<TKey, TValue> item, TValue value, bool record = true)
    {
        var updated = item;
        updated.Version = NextVersion(item);
        ReleaseValue(item);
        PlaceValue(ref updated, value);
        Ops.Replace(updated, out _);
        Touch();
        if (record) Record(new UpdateOp<TKey, TValue>(item.Key, item.Id, item.Version, value));
    }

    /// <summary>Updates the first item with the key; false (and a recorded read of its absence) when there is none.</summary>
    public bool UpdateFirst(TKey key, TValue value)
    {
        if (!Ops.TryFindFirst(key, out var item))
        {
            RecordPointRead(key, false, default, 0);
            return false;
        }
        UpdateItem(item, value);
        return true;
    }

    /// <summary>A blind write: updates the first item with the key or adds one. Returns true when it added.</summary>
    public bool UpsertItem(TKey key, TValue value, ItemId? idIfNew = null)
    {
        var newId = idIfNew ?? ItemId.New();
        bool added;
        if (Ops.TryFindFirst(key, out var item))
        {
            UpdateItem(item, value, record: false);
            added = false;
        }
        else
        {
            var fresh = new Item<TKey, TValue>(key, newId, 1, default, BlobId.None);
            _touched.Add(newId);
            PlaceValue(ref fresh, value);
            Ops.Insert(fresh);
            CountDelta++;
            added = true;
        }
        Record(new UpsertOp<TKey, TValue>(key, newId, value));
        return added;
    }

    /// <summary>Removes the first item with the key; false (and a recorded read of its absence) when there is none.</summary>
    public bool RemoveFirst(TKey key)
    {
        if (!Ops.TryFindFirst(key, out var item))
        {
            RecordPointRead(key, false, default, 0);
            return false;
        }
        return RemoveItem(item.Key, item.Id);
    }

    /// <summary>Removes the item (key, id); false when it is not there.</summary>
    public bool RemoveItem(TKey key, ItemId id)
    {
        if (!Ops.Delete(key, id, out var removed))
        {
            MarkOpaqueRead(); // an absent (key, id) is not a replayable read
            return false;
        }
        ReleaseValue(removed);
        CountDelta--;
        Record(new RemoveOp<TKey, TValue>(key, id, removed.Version));
        return true;
    }

    /// <summary>Reads the first item with the key (recorded for validation).</summary>
    public bool Get(TKey key, out TValue? value)
    {
        bool found = Ops.TryFindFirst(key, out var item);
        RecordPointRead(key, found, item.Id, item.Version);
        value = found ? LoadValue(item) : default;
        return found;
    }

    /// <summary>
    /// One batch of a range scan into <paramref name="into"/> (cleared first), recorded with the (id, version) list it
    /// saw, so a merge can tell whether the range changed (phantoms included).
    /// </summary>
    public void ScanBatch(KeyRange<TKey> range, bool descending, bool keysOnly, (TKey Key, ItemId Id)? after, int max, List<ScanItem<TKey, TValue>> into)
    {
        into.Clear();
        var seen = _recording ? new List<(ItemId Id, uint Version)>(Math.Min(max, 1024)) : ReusedSeen();
        Walk(range, descending, keysOnly, after, max, into, seen);
        if (_recording) Record(new RangeReadOp<TKey, TValue>(range, descending, after, max, seen));
    }

    /// <summary>The (id, version) list one batch of a range scan sees now, values not read: what a replayed range read compares.</summary>
    public List<(ItemId Id, uint Version)> SeenInBatch(KeyRange<TKey> range, bool descending, (TKey Key, ItemId Id)? after, int max)
    {
        var seen = new List<(ItemId Id, uint Version)>(Math.Min(max, 1024));
        Walk(range, descending, keysOnly: true, after, max, into: null, seen);
        return seen;
    }

    private List<(ItemId Id, uint Version)> ReusedSeen()
    {
        _scratchSeen ??= new List<(ItemId Id, uint Version)>(256);
        _scratchSeen.Clear();
        return _scratchSeen;
    }

    private List<(ItemId Id, uint Version)>? _scratchSeen;

    /// <remarks>Walks each leaf's items in place: one node lookup per leaf, not per item.</remarks>
    private void Walk(KeyRange<TKey> range, bool descending, bool keysOnly, (TKey Key, ItemId Id)? after, int max,
        List<ScanItem<TKey, TValue>>? into, List<(ItemId Id, uint Version)> seen)
    {
        var path = new TreePath();
        bool ok = (descending, after) switch
        {
            (false, { } l) => Ops.SeekAfter(l.Key, l.Id, path),
            (true, { } l) => Ops.SeekBefore(l.Key, l.Id, path),
            (false, null) => range.HasFrom ? Ops.SeekFirstAtLeast(range.From!, path) : Ops.First(path),
            (true, null) => range.HasTo ? Ops.SeekLastBelow(range.To!, path) : Ops.Last(path),
        };
        int step = descending ? -1 : 1;
        while (ok && seen.Count < max)
        {
            var items = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Ops.LeafOf(path).Items);
            int i = path.Leaf.Index;
            for (; (uint)i < (uint)items.Length && seen.Count < max; i += step)
            {
                ref readonly var item = ref items[i];
                if (PastRangeEnd(item.Key, range, descending)) return;
                if (BeforeRangeStart(item.Key, range, descending)) continue;
                seen.Add((item.Id, item.Version));
                into?.Add(new ScanItem<TKey, TValue>(item.Key, item.Id, keysOnly ? default : LoadValue(item)));
            }
            if (seen.Count < max) ok = Ops.MoveTo(path, i, descending);
        }
    }

    /// <summary>The scan went beyond the range in its direction: it is over.</summary>
    private bool PastRangeEnd(TKey key, in KeyRange<TKey> range, bool descending) =>
        descending ? range.HasFrom && KeyComparer.Compare(key, range.From!) < 0 : range.HasTo && KeyComparer.Compare(key, range.To!) >= 0;

    /// <summary>A seek after a cursor can land before the range's start in the scan's direction: skip such items.</summary>
    private bool BeforeRangeStart(TKey key, in KeyRange<TKey> range, bool descending) =>
        descending ? range.HasTo && KeyComparer.Compare(key, range.To!) >= 0 : range.HasFrom && KeyComparer.Compare(key, range.From!) < 0;

    /// <summary>Re-executes this transaction's log on the latest committed tree (the in-flight merge).</summary>
    public override StoreTx Replay()
    {
        ThrowIfOpaque();
        var fresh = new StoreTx<TKey, TValue>(Store, Codec, KeyComparer, _blobs, _cache, _l2, InlineValueMaxBytes, recording: true, _publishSeq);
        fresh.ReplayFromScratch(_leadingReads.ToList(), _log.ToList());
        return fresh;
    }

    public override IEnumerable<NodeId> WrittenExistingNodes() => _dirty.Keys.Where(id => !_added.Contains(id)).Concat(_deleted);

    public override bool IsWritten(NodeId id) => _dirty.ContainsKey(id) || _deleted.Contains(id);

    public override IEnumerable<Handle> SeenHandles() => _pinned.Values.Select(p => p.Handle);

    public override void ForgetCleanNodes()
    {
        if (_dirty.Count == 0 && _deleted.Count == 0) _pinned.Clear();
    }

    public override int LogLength => _leadingReads.Count + _log.Count;

    public override bool CleanPinsCurrent()
    {
        foreach (var (id, p) in _pinned)
        {
            if (_dirty.ContainsKey(id) || _deleted.Contains(id)) continue;
            if (!Store.Registry.TryGet(id, out var now) || now.Version != p.Handle.Version) return false;
        }
        return true;
    }

    /// <summary>
    /// Moves this state onto the latest committed tree: forgets every node and change, then replays the first
    /// <paramref name="logLength"/> log entries (throws <see cref="TransactionConflictException"/> when they no longer hold).
    /// </summary>
    public override void ResetAndReplay(int logLength)
    {
        ThrowIfOpaque();
        int leading = Math.Min(logLength, _leadingReads.Count);
        ReplayFromScratch(_leadingReads.GetRange(0, leading), _log.GetRange(0, logLength - leading));
    }

    private void ThrowIfOpaque()
    {
        if (_opaque) throw new TransactionConflictException(Store.Info.Name, null,
            $"store '{Store.Info.Name}' changed where the transaction's cursor read it; it was rolled back, retry it");
    }

    /// <summary>Forgets every node and change, then re-executes <paramref name="ops"/>; starts over when a commit is published meanwhile.</summary>
    private void ReplayFromScratch(List<(TKey Key, bool Found, ItemId Id, uint Version)> leadingReads, List<TxOp<TKey, TValue>> ops)
    {
        for (int attempt = 0; ; attempt++)
        {
            _log.Clear();
            _leadingReads.Clear();
            _pinned.Clear();
            _dirty.Clear();
            _added.Clear();
            _deleted.Clear();
            _pendingValues.Clear();
            _obsoleteValues.Clear();
            _touched.Clear();
            CountDelta = 0;
            CheckedAtPublishSeq = -1;
            Stamp++;
            try
            {
                foreach (var r in leadingReads)
                {
                    PointReadOp<TKey, TValue>.Check(this, r.Key, r.Found, r.Id, r.Version);
                    RecordPointRead(r.Key, r.Found, r.Id, r.Version);
                }
                foreach (var op in ops) op.Replay(this);
                return;
            }
            catch (StalePinsException) when (attempt < 1000)
            {
                // another commit was published while replaying: start over on the newer tree
            }
        }
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
