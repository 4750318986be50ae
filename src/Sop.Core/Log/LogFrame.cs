using System.Buffers.Binary;
using System.IO.Hashing;

namespace Sop.Log;

/// <summary>The frame of one commit record in a log segment.</summary>
/// <remarks>
/// Layout, little-endian: 0 magic "SOPL" · 4 format u16 · 6 reserved u16 · 8 payload length u32 · 12 sequence number u64 ·
/// 20 CRC-32 of bytes 0..19 and the payload · 24 payload. A reader accepts a record only when magic, format, length,
/// CRC and the expected next sequence number all match, so a torn tail or stale bytes end the log there.
/// </remarks>
internal static class LogFrame
{
    public const int HeaderSize = 24;
    public const ushort Format = 1;
    private const uint Magic = 0x4C504F53; // "SOPL"

    public static int FramedLength(int payloadLength) => HeaderSize + payloadLength;

    public static void Write(Span<byte> dst, ulong seq, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(dst, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(dst[4..], Format);
        BinaryPrimitives.WriteUInt16LittleEndian(dst[6..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(dst[8..], (uint)payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(dst[12..], seq);
        payload.CopyTo(dst[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(dst[20..], Checksum(dst[..20], payload));
    }

    /// <summary>Reads the header at the start of <paramref name="src"/>; returns the payload length or -1 when it is not a valid header.</summary>
    public static int TryReadHeader(ReadOnlySpan<byte> src, out ulong seq)
    {
        seq = 0;
        if (src.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(src) != Magic) return -1;
        if (BinaryPrimitives.ReadUInt16LittleEndian(src[4..]) != Format) return -1;
        seq = BinaryPrimitives.ReadUInt64LittleEndian(src[12..]);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(src[8..]);
        return length > int.MaxValue - HeaderSize ? -1 : (int)length;
    }

    public static bool ChecksumMatches(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload) =>
        BinaryPrimitives.ReadUInt32LittleEndian(header[20..]) == Checksum(header[..20], payload);

    private static uint Checksum(ReadOnlySpan<byte> head, ReadOnlySpan<byte> payload)
    {
        var crc = new Crc32();
        crc.Append(head);
        crc.Append(payload);
        return crc.GetCurrentHashAsUInt32();
    }
}
