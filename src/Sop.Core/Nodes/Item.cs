using Sop.Ids;

namespace Sop.Nodes;

/// <summary>One entry of a node. In a leaf: key, id, version and the value (inline, or in the blob <see cref="ValueBlob"/>).
/// In an inner node: a separator (key and id only).</summary>
internal struct Item<TKey, TValue>
{
    public TKey Key;
    public ItemId Id;
    public uint Version;
    public TValue? Value;
    public BlobId ValueBlob;

    public Item(TKey key, ItemId id, uint version, TValue? value, BlobId valueBlob)
    {
        Key = key;
        Id = id;
        Version = version;
        Value = value;
        ValueBlob = valueBlob;
    }

    public readonly bool HasValueBlob => !ValueBlob.IsNone;

    public readonly Item<TKey, TValue> AsSeparator() => new(Key, Id, 0, default, BlobId.None);
}
