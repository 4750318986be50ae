using System.Buffers.Binary;
using System.IO.Hashing;
using Sop.Ids;

namespace Sop.Registry;

/// <summary>The 64-byte on-disk form of a <see cref="Handle"/>, with its own CRC (decisions.md 9).</summary>
/// <remarks>
/// Layout, little-endian: 0 logical id · 16 physical A · 32 physical B · 48 version u32 · 52 WIP seconds u32 ·
/// 56 flags (bit0 used, bit1 active B, bit2 deleted) · 57 record format · 58 reserved · 60 CRC-32 of bytes 0..59.
/// All zero = a free slot. 64 divides the 4 KiB page, so a record never straddles a sector.
/// </remarks>
internal static class HandleRecord
{
    public const int Size = 64;
    public const byte Format = 1;
    private const byte Used = 1, ActiveB = 2, Deleted = 4;

    public enum State { Free, Live, Tombstone, Corrupt }

    public static void Write(Span<byte> dst, in Handle h)
    {
        dst[..Size].Clear();
        h.LogicalId.Value.TryWriteBytes(dst);
        h.PhysicalA.Value.TryWriteBytes(dst[16..]);
        h.PhysicalB.Value.TryWriteBytes(dst[32..]);
        BinaryPrimitives.WriteUInt32LittleEndian(dst[48..], h.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(dst[52..], h.WorkInProgressUnixSeconds);
        dst[56] = (byte)(Used | (h.IsActiveB ? ActiveB : 0) | (h.IsDeleted ? Deleted : 0));
        dst[57] = Format;
        BinaryPrimitives.WriteUInt32LittleEndian(dst[60..], Crc32.HashToUInt32(dst[..60]));
    }

    public static State Read(ReadOnlySpan<byte> src, out Handle h)
    {
        h = default;
        if (src[..Size].IndexOfAnyExcept((byte)0) < 0) return State.Free;
        if (BinaryPrimitives.ReadUInt32LittleEndian(src[60..]) != Crc32.HashToUInt32(src[..60]) || src[57] != Format) return State.Corrupt;
        byte flags = src[56];
        h = new Handle(
            new NodeId(new Guid(src[..16])),
            new BlobId(new Guid(src.Slice(16, 16))),
            new BlobId(new Guid(src.Slice(32, 16))),
            (flags & ActiveB) != 0,
            BinaryPrimitives.ReadUInt32LittleEndian(src[48..]),
            BinaryPrimitives.ReadUInt32LittleEndian(src[52..]),
            (flags & Deleted) != 0);
        return (flags & Deleted) != 0 ? State.Tombstone : State.Live;
    }

    /// <summary>The home slot of an id: its last 8 bytes are random in both v4 and v7 UUIDs.</summary>
    public static long Home(NodeId id, long mask)
    {
        Span<byte> b = stackalloc byte[16];
        id.Value.TryWriteBytes(b);
        return (long)(BinaryPrimitives.ReadUInt64LittleEndian(b[8..]) * 0x9E3779B97F4A7C15UL >> 1) & mask;
    }
}
