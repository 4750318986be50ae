using System.Buffers.Binary;
using Sop.Errors;
using Sop.Ids;
using Sop.Registry;

namespace Sop.Coordination;

/// <summary>
/// The binary form of what a commit publishes to the lock server for other hosts (<see cref="SharedPublish"/>): fields
/// keyed by kind and store id — a node handle (the 64-byte registry record) or a count slot (cumulative delta and log
/// sequence) — and dropped store ids. An entry of the feed is the list of a commit's fields plus its drops.
/// </summary>
/// <remarks>
/// Field key: kind byte ('H' or 'C') · store id (16) · node id (16) or slot (i32). Count value: cumulative i64 · log
/// sequence u64. Entry: format u16 · field count i32 · per field (key length u16, key, value length u16, value) · drop
/// count i32 · store ids (16 each). Little-endian.
/// </remarks>
internal static class SharedFields
{
    private const byte HandleKind = (byte)'H', CountKind = (byte)'C';
    private const ushort EntryFormat = 1;

    public static byte[] HandleKey(Guid store, NodeId node)
    {
        var key = new byte[33];
        key[0] = HandleKind;
        store.TryWriteBytes(key.AsSpan(1));
        node.Value.TryWriteBytes(key.AsSpan(17));
        return key;
    }

    public static byte[] HandleValue(in Handle handle)
    {
        var value = new byte[HandleRecord.Size];
        HandleRecord.Write(value, handle);
        return value;
    }

    public static byte[] CountKey(Guid store, int slot)
    {
        var key = new byte[21];
        key[0] = CountKind;
        store.TryWriteBytes(key.AsSpan(1));
        BinaryPrimitives.WriteInt32LittleEndian(key.AsSpan(17), slot);
        return key;
    }

    public static byte[] CountValue(long cumulative, ulong logSeq)
    {
        var value = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(value, cumulative);
        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(8), logSeq);
        return value;
    }

    public static byte[] StoreKey(Guid store) => store.ToByteArray();

    /// <summary>Applies one field to <paramref name="view"/>; unknown kinds and damaged values are corruption.</summary>
    public static void Apply(SharedView.Contents view, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (key.Length == 33 && key[0] == HandleKind)
        {
            if (HandleRecord.Read(value, out var handle) is HandleRecord.State.Corrupt or HandleRecord.State.Free)
                throw new DataCorruptionException("a node handle shared through the lock server is damaged");
            view.MergeHandle(new Guid(key.Slice(1, 16)), handle);
        }
        else if (key.Length == 21 && key[0] == CountKind && value.Length == 16)
        {
            view.MergeCount(new Guid(key.Slice(1, 16)), BinaryPrimitives.ReadInt32LittleEndian(key[17..]),
                BinaryPrimitives.ReadInt64LittleEndian(value), BinaryPrimitives.ReadUInt64LittleEndian(value[8..]));
        }
        else
        {
            throw new DataCorruptionException("the lock server holds a shared field of an unknown kind");
        }
    }

    public static byte[] EncodeEntry(IReadOnlyList<KeyValuePair<byte[], byte[]>> fields, IReadOnlyList<byte[]> dropped)
    {
        int size = 2 + 4 + 4 + (dropped.Count * 16);
        foreach (var (k, v) in fields) size += 4 + k.Length + v.Length;
        var entry = new byte[size];
        var span = entry.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span, EntryFormat);
        BinaryPrimitives.WriteInt32LittleEndian(span[2..], fields.Count);
        int at = 6;
        foreach (var (k, v) in fields)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)k.Length);
            k.CopyTo(span[(at + 2)..]);
            at += 2 + k.Length;
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)v.Length);
            v.CopyTo(span[(at + 2)..]);
            at += 2 + v.Length;
        }
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], dropped.Count);
        at += 4;
        foreach (var d in dropped)
        {
            d.CopyTo(span[at..]);
            at += 16;
        }
        return entry;
    }

    public static void ApplyEntry(SharedView.Contents view, ReadOnlySpan<byte> entry)
    {
        try
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(entry) != EntryFormat) throw new DataCorruptionException("a shared commit entry has an unknown format");
            int fields = BinaryPrimitives.ReadInt32LittleEndian(entry[2..]);
            int at = 6;
            for (int i = 0; i < fields; i++)
            {
                int keyLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[at..]);
                var key = entry.Slice(at + 2, keyLength);
                at += 2 + keyLength;
                int valueLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[at..]);
                var value = entry.Slice(at + 2, valueLength);
                at += 2 + valueLength;
                Apply(view, key, value);
            }
            int drops = BinaryPrimitives.ReadInt32LittleEndian(entry[at..]);
            at += 4;
            for (int i = 0; i < drops; i++, at += 16) view.MarkDropped(new Guid(entry.Slice(at, 16)));
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new DataCorruptionException("a shared commit entry is truncated");
        }
    }
}
