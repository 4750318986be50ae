using System.Buffers.Binary;
using System.IO.Hashing;

namespace Sop.Storage;

/// <summary>
/// The checksummed frame around every file the engine writes whole (node and value blobs, store info, the folder
/// header): magic, format version, kind, payload length and a CRC-32 over header and payload.
/// </summary>
/// <remarks>Layout (little-endian): 0 magic "SOPB" · 4 format u16 · 6 kind u8 · 7 reserved · 8 length u32 · 12 crc u32 · 16 payload.</remarks>
public static class Envelope
{
    /// <summary>Bytes before the payload.</summary>
    public const int HeaderSize = 16;

    /// <summary>The current format version of the frame.</summary>
    public const ushort FormatVersion = 1;

    private const uint Magic = 0x42504F53; // "SOPB"

    /// <summary>Frames a payload.</summary>
    public static byte[] Wrap(EnvelopeKind kind, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[HeaderSize + payload.Length];
        var h = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(h, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], FormatVersion);
        h[6] = (byte)kind;
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], (uint)payload.Length);
        payload.CopyTo(h[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], Checksum(bytes));
        return bytes;
    }

    /// <summary>Checks a frame and returns its payload; false (with a reason) when it is torn, corrupt or of another kind.</summary>
    public static bool TryUnwrap(ReadOnlySpan<byte> bytes, EnvelopeKind expected, out ReadOnlySpan<byte> payload, out string? error)
    {
        payload = default;
        if (bytes.Length < HeaderSize) return Fail("shorter than its header", out error);
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic) return Fail("bad magic", out error);
        ushort format = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (format != FormatVersion) return Fail($"unknown format version {format}", out error);
        if ((EnvelopeKind)bytes[6] != expected) return Fail($"kind {(EnvelopeKind)bytes[6]} where {expected} was expected", out error);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (length != bytes.Length - HeaderSize) return Fail($"length {length} but {bytes.Length - HeaderSize} bytes present", out error);
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]) != Checksum(bytes)) return Fail("checksum mismatch", out error);
        payload = bytes[HeaderSize..];
        error = null;
        return true;
    }

    private static uint Checksum(ReadOnlySpan<byte> frame)
    {
        var crc = new Crc32();
        crc.Append(frame[..12]);
        crc.Append(frame[HeaderSize..]);
        return crc.GetCurrentHashAsUInt32();
    }

    private static bool Fail(string why, out string? error)
    {
        error = why;
        return false;
    }
}
