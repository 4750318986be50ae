using System.Runtime.CompilerServices;
using System.Text;
using Sop.Errors;
using Sop.Ids;
using Sop.Nodes;
using Sop.Trees;

namespace Sop.Transactions;

/// <summary>
/// A store as seen by one transaction: point operations, a cursor, and range scans. Changes are visible to this
/// transaction at once and to others after commit.
/// </summary>
/// <remarks>Not thread-safe (a transaction belongs to one logical flow). Operations are synchronous: node reads hit the L1 cache or a local file.</remarks>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class BTree<TKey, TValue>
{
    private readonly Transaction _tx;
    private readonly StoreTx<TKey, TValue> _s;
    private readonly TreePath _cursor = new();
    private bool _cursorValid;
    private TKey _cursorKey = default!;
    private ItemId _cursorId;

    internal BTree(Transaction tx, StoreTx<TKey, TValue> state)
    {
        _tx = tx;
        _s = state;
    }

    /// <summary>The store's info.</summary>
    public StoreInfo Info => _s.Store.Info;

    /// <summary>Items in the store as this transaction sees it (committed count plus this transaction's adds and removes).</summary>
    public long Count
    {
        get
        {
            _tx.EnsureActive();
            return _tx.Engine.CountOf(_s.Store) + _s.CountDelta;
        }
    }

    private TreeOps<TKey, TValue> Ops => _s.Ops;

    // ---------- writes ----------

    /// <summary>Adds an item. In a unique store an existing key makes it return false and change nothing.</summary>
    public bool Add(TKey key, TValue value)
    {
        BeginWrite(key);
        return _tx.ConsistentRead(_s, () => _s.AddItem(key, value, Info.UniqueKeys));
    }

    /// <summary>Adds an item only when no item has this key (also in a store with duplicates).</summary>
    public bool AddIfNotExist(TKey key, TValue value)
    {
        BeginWrite(key);
        return _tx.ConsistentRead(_s, () => _s.AddItem(key, value, requireAbsent: true));
    }

    /// <summary>Replaces the value of the first item with this key; false when there is none.</summary>
    public bool Update(TKey key, TValue value)
    {
        BeginWrite(key);
        return _tx.ConsistentRead(_s, () => _s.UpdateFirst(key, value));
    }

    /// <summary>
    /// Updates the first item with this key, or adds one. Returns true when it added. An upsert is a blind write: a
    /// concurrent commit never makes it conflict (the returned flag reflects the state when it ran).
    /// </summary>
    public bool Upsert(TKey key, TValue value)
    {
        BeginWrite(key);
        return _tx.ConsistentRead(_s, () => _s.UpsertItem(key, value));
    }

    /// <summary>Removes the first item with this key; false when there is none.</summary>
    public bool Remove(TKey key)
    {
        BeginWrite(key);
        _cursorValid = false;
        return _tx.ConsistentRead(_s, () => _s.RemoveFirst(key));
    }

    /// <summary>Removes the item with this key and id (one duplicate); false when there is none.</summary>
    public bool Remove(TKey key, ItemId id)
    {
        BeginWrite(key);
        _cursorValid = false;
        return _tx.ConsistentRead(_s, () => _s.RemoveItem(key, id));
    }

    private void BeginWrite(TKey key)
    {
        _tx.EnsureWritable();
        CheckKey(key);
    }

    // ---------- point reads ----------

    /// <summary>Reads the value of the first item with this key.</summary>
    public bool TryGetValue(TKey key, out TValue? value)
    {
        CheckKey(key);
        _tx.EnsureActive();
        var (found, v) = _tx.ConsistentRead(_s, () => _s.Get(key, out var got) ? (true, got) : (false, default));
        value = v;
        return found;
    }

    /// <summary>True when an item with this key exists; the cursor moves to the first such item (or to the next greater key).</summary>
    public bool Find(TKey key)
    {
        CheckKey(key);
        _tx.EnsureActive();
        _s.MarkOpaqueRead();
        return _tx.ConsistentRead(_s, () =>
        {
            bool any = Ops.SeekFirstAtLeast(key, _cursor);
            SetCursor(any);
            return any && _s.Comparer.Compare(_cursorKey, key) == 0;
        });
    }

    // ---------- cursor ----------

    /// <summary>Moves the cursor to the first item.</summary>
    public bool First() => MoveCursor(() => Ops.First(_cursor));

    /// <summary>Moves the cursor to the last item.</summary>
    public bool Last() => MoveCursor(() => Ops.Last(_cursor));

    /// <summary>Moves the cursor to the next item; false (and no current item) past the end.</summary>
    public bool Next()
    {
        _tx.EnsureActive();
        return _cursorValid && MoveCursor(() => Ops.SeekAfter(_cursorKey, _cursorId, _cursor));
    }

    /// <summary>Moves the cursor to the previous item; false (and no current item) before the start.</summary>
    public bool Previous()
    {
        _tx.EnsureActive();
        return _cursorValid && MoveCursor(() => Ops.SeekBefore(_cursorKey, _cursorId, _cursor));
    }

    /// <summary>The key at the cursor.</summary>
    public TKey CurrentKey
    {
        get
        {
            _tx.EnsureActive();
            return _cursorValid ? _cursorKey : throw new InvalidOperationException("the cursor is not on an item");
        }
    }

    /// <summary>The item id at the cursor.</summary>
    public ItemId CurrentItemId
    {
        get
        {
            _tx.EnsureActive();
            return _cursorValid ? _cursorId : throw new InvalidOperationException("the cursor is not on an item");
        }
    }

    /// <summary>The value at the cursor (loads a separate value blob when needed).</summary>
    public TValue? CurrentValue
    {
        get
        {
            if (!_cursorValid) throw new InvalidOperationException("the cursor is not on an item");
            _tx.EnsureActive();
            _s.MarkOpaqueRead();
            return _tx.ConsistentRead(_s, () =>
            {
                var path = new TreePath();
                if (!Ops.SeekBefore(_cursorKey, _cursorId, path)) Ops.First(path);
                else Ops.Next(path);
                var item = Ops.Current(path);
                if (_s.Comparer.Compare(item.Key, _cursorKey) != 0 || item.Id != _cursorId)
                    throw new InvalidOperationException("the item at the cursor was removed");
                return _s.LoadValue(item);
            });
        }
    }

    private bool MoveCursor(Func<bool> move)
    {
        _tx.EnsureActive();
        _s.MarkOpaqueRead();
        return _tx.ConsistentRead(_s, () =>
        {
            bool ok = move();
            SetCursor(ok);
            return ok;
        });
    }

    private void SetCursor(bool onItem)
    {
        _cursorValid = onItem;
        if (!onItem) return;
        ref readonly var item = ref Ops.Current(_cursor);
        _cursorKey = item.Key;
        _cursorId = item.Id;
    }

    // ---------- scans ----------

    /// <summary>Items a scan reads per consistent step (one descent from the root, one recorded range read).</summary>
    private const int ScanBatchSize = 256;

    /// <summary>
    /// Items in the range in key order (or reverse), equal keys in insertion order. Keys-only scans never read value
    /// blobs. <paramref name="after"/> continues a previous scan strictly after that (key, item id).
    /// The transaction may change the store during the scan; the scan continues from its last item.
    /// </summary>
    public IEnumerable<ScanItem<TKey, TValue>> Scan(KeyRange<TKey> range = default, bool descending = false, bool keysOnly = false, (TKey Key, ItemId Id)? after = null)
    {
        _tx.EnsureActive();
        (TKey Key, ItemId Id)? last = after;
        var batch = new List<ScanItem<TKey, TValue>>(ScanBatchSize); // reused: the caller is done with a batch before the next is read
        while (true)
        {
            _tx.ConsistentRead(_s, () =>
            {
                _s.ScanBatch(range, descending, keysOnly, last, ScanBatchSize, batch);
                return batch.Count;
            });
            foreach (var item in batch) yield return item;
            if (batch.Count < ScanBatchSize) yield break;
            last = (batch[^1].Key, batch[^1].ItemId);
        }
    }

    /// <summary>The asynchronous form of <see cref="Scan"/>, for API boundaries.</summary>
    public async IAsyncEnumerable<ScanItem<TKey, TValue>> ScanAsync(KeyRange<TKey> range = default, bool descending = false, bool keysOnly = false,
        (TKey Key, ItemId Id)? after = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int n = 0;
        foreach (var item in Scan(range, descending, keysOnly, after))
        {
            if ((++n & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
            }
            yield return item;
        }
    }

    // ---------- checks ----------

    /// <summary>Checks ordering, fill, balance and separators of the tree as this transaction sees it; returns the item count.</summary>
    internal long CheckInvariants() => _tx.ConsistentRead(_s, () => TreeInvariants.Check(_s));

    private void CheckKey(TKey key)
    {
        if (key is null) throw new InvalidKeyException("a key must not be null");
        if (key is string s)
        {
            if (s.Length * 3 > SopDefaults.MaxKeyBytes && Encoding.UTF8.GetByteCount(s) > SopDefaults.MaxKeyBytes)
                throw new InvalidKeyException($"a key is limited to {SopDefaults.MaxKeyBytes} UTF-8 bytes (was {Encoding.UTF8.GetByteCount(s)})");
            return;
        }
        if (!typeof(TKey).IsPrimitive && typeof(TKey) != typeof(Guid) && typeof(TKey) != typeof(decimal)
            && _s.Codec.EncodeKey(key).Length > SopDefaults.MaxKeyBytes)
            throw new InvalidKeyException($"a key is limited to {SopDefaults.MaxKeyBytes} bytes in its serialized form");
    }
}
