using Sop.Errors;
using Sop.Ids;
using Sop.Trees;

namespace Sop.Transactions;

/// <summary>
/// One entry of a transaction's operation log, in call order: the writes it made and the reads their outcome
/// depended on. Replaying the log on the latest committed tree is the in-flight merge: it succeeds exactly when
/// every read still returns what it returned and every write's precondition still holds.
/// </summary>
internal abstract record TxOp<TKey, TValue>
{
    /// <summary>Re-executes this entry on a fresh view; throws <see cref="TransactionConflictException"/> when it no longer holds.</summary>
    public abstract void Replay(StoreTx<TKey, TValue> fresh);

    protected static TransactionConflictException Conflict(StoreTx<TKey, TValue> s, TKey key, string what) =>
        new(s.Store.Info.Name, key?.ToString(), $"key '{key}' of store '{s.Store.Info.Name}' {what} by a concurrent commit; the transaction was rolled back, retry it");
}

/// <summary>An added item (with its id); <c>RequireAbsent</c>: the add depended on no item having the key.</summary>
internal sealed record AddOp<TKey, TValue>(TKey Key, ItemId Id, TValue Value, bool RequireAbsent) : TxOp<TKey, TValue>
{
    public override void Replay(StoreTx<TKey, TValue> fresh)
    {
        if (!fresh.AddItem(Key, Value, RequireAbsent, Id)) throw Conflict(fresh, Key, "was added");
    }
}

/// <summary>An update of the item (key, id) that had <c>VersionBefore</c>.</summary>
internal sealed record UpdateOp<TKey, TValue>(TKey Key, ItemId Id, uint VersionBefore, TValue Value) : TxOp<TKey, TValue>
{
    public override void Replay(StoreTx<TKey, TValue> fresh)
    {
        // An item this transaction already wrote earlier in the replay (e.g. by a blind upsert) carries its own version
        // bump: only its existence is a precondition then, not the version seen.
        if (!fresh.Ops.TryFindExact(Key, Id, out var item) || (item.Version != VersionBefore && !fresh.WroteEarlier(Id)))
            throw Conflict(fresh, Key, "was changed");
        fresh.UpdateItem(item, Value);
    }
}

/// <summary>A blind write: update the first item with the key, or add one with <c>IdIfNew</c>. Never conflicts.</summary>
internal sealed record UpsertOp<TKey, TValue>(TKey Key, ItemId IdIfNew, TValue Value) : TxOp<TKey, TValue>
{
    public override void Replay(StoreTx<TKey, TValue> fresh) => fresh.UpsertItem(Key, Value, IdIfNew);
}

/// <summary>Removal of the item (key, id) that had <c>VersionBefore</c>.</summary>
internal sealed record RemoveOp<TKey, TValue>(TKey Key, ItemId Id, uint VersionBefore) : TxOp<TKey, TValue>
{
    public override void Replay(StoreTx<TKey, TValue> fresh)
    {
        if (!fresh.Ops.TryFindExact(Key, Id, out var item) || (item.Version != VersionBefore && !fresh.WroteEarlier(Id)))
            throw Conflict(fresh, Key, "was changed or removed");
        fresh.RemoveItem(Key, Id);
    }
}

/// <summary>A read of the first item with the key: absent, or (id, version).</summary>
internal sealed record PointReadOp<TKey, TValue>(TKey Key, bool Found, ItemId Id, uint Version) : TxOp<TKey, TValue>
{
    public override void Replay(StoreTx<TKey, TValue> fresh)
    {
        Check(fresh, Key, Found, Id, Version);
        fresh.Record(this);
    }

    /// <summary>Throws when the first item with the key is no longer what was read (absent, or that id and version).</summary>
    public static void Check(StoreTx<TKey, TValue> fresh, TKey key, bool found, ItemId id, uint version)
    {
        bool now = fresh.Ops.TryFindFirst(key, out var item);
        if (now != found || (now && (item.Id != id || item.Version != version))) throw Conflict(fresh, key, "was changed");
    }
}

/// <summary>One batch of a range scan and the (id, version) list it returned (so phantoms are caught too).</summary>
internal sealed record RangeReadOp<TKey, TValue>(KeyRange<TKey> Range, bool Descending, (TKey Key, ItemId Id)? After, int Max, IReadOnlyList<(ItemId Id, uint Version)> Seen)
    : TxOp<TKey, TValue>
{
    public override void Replay(StoreTx<TKey, TValue> fresh)
    {
        var now = fresh.SeenInBatch(Range, Descending, After, Max);
        if (!now.SequenceEqual(Seen))
            throw new TransactionConflictException(fresh.Store.Info.Name, null,
                $"a range of store '{fresh.Store.Info.Name}' the transaction scanned was changed by a concurrent commit; the transaction was rolled back, retry it");
        fresh.Record(this);
    }
}
