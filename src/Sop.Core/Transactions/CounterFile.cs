using System.Buffers.Binary;
using System.IO.Hashing;
using Sop.Errors;
using Sop.Storage;

namespace Sop.Transactions;

/// <summary>
/// A store's item count as one slot per writer slot (decisions.md 5: the count is a commutative delta, never a hot
/// key). Each writer adds its commits' deltas to its own slot; the count is the sum of all slots.
/// </summary>
/// <remarks>
/// Each slot has two 32-byte copies written alternately (by sequence parity), so a torn write damages only the copy
/// being written and the other still holds the previous value; the valid copy with the higher sequence wins.
/// Copy layout (little-endian): 0 cumulative delta i64 · 8 last applied log sequence u64 · 16 reserved ·
/// 28 CRC-32 of bytes 0..27. Recovery adds a logged delta only when the record's sequence number is above the
/// slot's, so redo is idempotent.
/// </remarks>
internal sealed class CounterFile : IDisposable
{
    public const int Slots = 64;
    private const int CopySize = 32;
    private const int SlotSize = 2 * CopySize;
    private readonly IFileSystem _fs;
    private readonly string _path;
    private readonly List<IRandomAccessFile> _retired = [];
    private readonly bool _fresh;
    private volatile IRandomAccessFile _file;

    private CounterFile(IFileSystem fs, string path, IRandomAccessFile file, bool fresh)
    {
        _fs = fs;
        _path = path;
        _file = file;
        _fresh = fresh;
    }

    /// <summary>Opens (creating when missing) a store's count file.</summary>
    /// <param name="fs">The file system.</param>
    /// <param name="path">The file.</param>
    /// <param name="fresh">
    /// The folder is shared by several hosts: <see cref="ReadForUpdate"/> reads through a newly opened handle, since
    /// this host's cached pages may not hold what another host wrote to the slot last.
    /// </param>
    public static CounterFile Open(IFileSystem fs, string path, bool fresh = false)
    {
        var file = fs.Open(path, FileOpenMode.OpenOrCreate);
        if (file.Length < Slots * SlotSize) file.SetLength(Slots * SlotSize);
        return new CounterFile(fs, path, file, fresh);
    }

    /// <summary>Reads the file through a new handle from now on (close-to-open consistency after another host wrote it).</summary>
    public void Reopen()
    {
        lock (_retired)
        {
            _retired.Add(_file); // a concurrent reader may still use it
            _file = _fs.Open(_path, FileOpenMode.OpenOrCreate);
        }
    }

    /// <summary>
    /// What a slot holds, for whoever is about to add to it (a new owner of the slot, recovery): on a folder shared by
    /// several hosts through a newly opened handle (close-to-open consistency), since another host may have written it last.
    /// </summary>
    public (long Cumulative, ulong LastSeq) ReadForUpdate(int slot)
    {
        if (!_fresh) return ReadSlot(_file, slot);
        using var file = _fs.Open(_path, FileOpenMode.Open);
        return ReadSlot(file, slot);
    }

    private static (long Cumulative, ulong LastSeq) ReadSlot(IRandomAccessFile file, int slot)
    {
        Span<byte> b = stackalloc byte[SlotSize];
        if (file.Read(slot * SlotSize, b) < SlotSize) b.Clear();
        return Parse(b, slot);
    }

    public void Write(int slot, long cumulative, ulong lastSeq)
    {
        Span<byte> b = stackalloc byte[CopySize];
        b.Clear();
        BinaryPrimitives.WriteInt64LittleEndian(b, cumulative);
        BinaryPrimitives.WriteUInt64LittleEndian(b[8..], lastSeq);
        BinaryPrimitives.WriteUInt32LittleEndian(b[28..], Crc32.HashToUInt32(b[..28]));
        _file.Write((slot * SlotSize) + ((int)(lastSeq & 1) * CopySize), b);
    }

    /// <summary>Every slot, in one read.</summary>
    public (long Cumulative, ulong LastSeq)[] ReadAll()
    {
        Span<byte> all = stackalloc byte[Slots * SlotSize];
        _file.Read(0, all);
        var slots = new (long Cumulative, ulong LastSeq)[Slots];
        for (int i = 0; i < Slots; i++) slots[i] = Parse(all.Slice(i * SlotSize, SlotSize), i);
        return slots;
    }

    public long Total() => ReadAll().Sum(s => s.Cumulative);

    public void Flush() => _file.Flush();

    public void Dispose()
    {
        lock (_retired)
        {
            _file.Dispose();
            foreach (var f in _retired) f.Dispose();
        }
    }

    private static (long Cumulative, ulong LastSeq) Parse(ReadOnlySpan<byte> slotBytes, int slot)
    {
        var a = ParseCopy(slotBytes[..CopySize]);
        var b = ParseCopy(slotBytes[CopySize..]);
        if (a is null && b is null) throw new DataCorruptionException($"both copies of count slot {slot} failed their checksum");
        if (a is null) return b!.Value;
        if (b is null) return a.Value;
        return a.Value.LastSeq >= b.Value.LastSeq ? a.Value : b.Value;
    }

    private static (long Cumulative, ulong LastSeq)? ParseCopy(ReadOnlySpan<byte> c)
    {
        if (c.IndexOfAnyExcept((byte)0) < 0) return (0, 0);
        if (BinaryPrimitives.ReadUInt32LittleEndian(c[28..]) != Crc32.HashToUInt32(c[..28])) return null;
        return (BinaryPrimitives.ReadInt64LittleEndian(c), BinaryPrimitives.ReadUInt64LittleEndian(c[8..]));
    }
}
