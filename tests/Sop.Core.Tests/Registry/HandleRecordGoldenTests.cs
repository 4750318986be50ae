using System.Buffers.Binary;
using System.IO.Hashing;
using Sop.Ids;
using Sop.Registry;

namespace Sop.Tests.Registry;

/// <summary>
/// Freezes the 64-byte registry record (<see cref="HandleRecord"/>) and the home-slot hash. Both are on-disk format:
/// a change bumps <see cref="HandleRecord.Format"/> (or the registry format), never these expected values.
/// </summary>
public sealed class HandleRecordGoldenTests
{
    // Guids built from their little-endian bytes, so the record shows them byte for byte.
    private static readonly Handle Fixed = new(
        new NodeId(new Guid(Bytes(0x00))),
        new BlobId(new Guid(Bytes(0x10))),
        new BlobId(new Guid(Bytes(0x20))),
        IsActiveB: true,
        Version: 0x01020304,
        WorkInProgressUnixSeconds: 0x665F2A00,
        IsDeleted: false);

    private const string FixedHex =
        "000102030405060708090A0B0C0D0E0F" // 0  logical id
        + "101112131415161718191A1B1C1D1E1F" // 16 physical A
        + "202122232425262728292A2B2C2D2E2F" // 32 physical B
        + "04030201" // 48 version u32 LE
        + "002A5F66" // 52 work-in-progress seconds u32 LE
        + "03" // 56 flags: used | active B
        + "01" // 57 record format
        + "0000" // 58 reserved
        + "B81F989C"; // 60 CRC-32 (IEEE) of bytes 0..59, LE

    private static byte[] Bytes(byte first) => Enumerable.Range(first, 16).Select(i => (byte)i).ToArray();

    private static byte[] Encode(in Handle h)
    {
        var rec = new byte[HandleRecord.Size];
        HandleRecord.Write(rec, h);
        return rec;
    }

    [Fact]
    public void Constants_AreFrozen()
    {
        Assert.Equal(64, HandleRecord.Size);
        Assert.Equal(1, HandleRecord.Format);
    }

    [Fact]
    public void FixedHandle_HasFrozenBytes()
    {
        Assert.Equal(FixedHex, Convert.ToHexString(Encode(Fixed)));
    }

    [Fact]
    public void FixedHandle_FieldsSitAtDocumentedOffsets()
    {
        byte[] rec = Encode(Fixed);
        Assert.Equal(Fixed.LogicalId.Value, new Guid(rec.AsSpan(0, 16)));
        Assert.Equal(Fixed.PhysicalA.Value, new Guid(rec.AsSpan(16, 16)));
        Assert.Equal(Fixed.PhysicalB.Value, new Guid(rec.AsSpan(32, 16)));
        Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32LittleEndian(rec.AsSpan(48)));
        Assert.Equal(0x665F2A00u, BinaryPrimitives.ReadUInt32LittleEndian(rec.AsSpan(52)));
        Assert.Equal(0b011, rec[56]);
        Assert.Equal(1, rec[57]);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(rec.AsSpan(58)));
        Assert.Equal(Crc32.HashToUInt32(rec.AsSpan(0, 60)), BinaryPrimitives.ReadUInt32LittleEndian(rec.AsSpan(60)));
    }

    [Fact]
    public void FrozenBytes_ReadBackAsLiveFixedHandle()
    {
        Assert.Equal(HandleRecord.State.Live, HandleRecord.Read(Convert.FromHexString(FixedHex), out var h));
        Assert.Equal(Fixed, h);
    }

    [Fact]
    public void Tombstone_SetsDeletedFlagAndReadsAsTombstone()
    {
        var gone = Fixed with { IsActiveB = false, IsDeleted = true };
        byte[] rec = Encode(gone);
        Assert.Equal(0b101, rec[56]);
        Assert.Equal(HandleRecord.State.Tombstone, HandleRecord.Read(rec, out var h));
        Assert.Equal(gone, h);
    }

    [Fact]
    public void AllZeroRecord_IsFree()
    {
        Assert.Equal(HandleRecord.State.Free, HandleRecord.Read(new byte[HandleRecord.Size], out var h));
        Assert.Equal(default, h);
    }

    [Fact]
    public void AnySingleBitFlip_IsCorrupt()
    {
        byte[] good = Encode(Fixed);
        for (int bit = 0; bit < HandleRecord.Size * 8; bit++)
        {
            byte[] bad = (byte[])good.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.True(HandleRecord.Read(bad, out _) == HandleRecord.State.Corrupt, $"flip of bit {bit} went unnoticed");
        }
    }

    [Fact]
    public void UnknownRecordFormatWithValidCrc_IsCorrupt()
    {
        byte[] rec = Encode(Fixed);
        rec[57] = 2;
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(60), Crc32.HashToUInt32(rec.AsSpan(0, 60)));
        Assert.Equal(HandleRecord.State.Corrupt, HandleRecord.Read(rec, out _));
    }

    [Fact]
    public void HomeSlot_IsFrozen()
    {
        // The home slot decides where every record lives: changing the hash orphans every existing registry file.
        var id = new NodeId(new Guid(Bytes(0x00)));
        // Expected values computed by hand: ((last 8 bytes as u64 LE) * 0x9E3779B97F4A7C15 mod 2^64) >> 1, masked.
        Assert.Equal(724L, HandleRecord.Home(id, 1023));
        Assert.Equal(85716L, HandleRecord.Home(id, (1L << 20) - 1));
        Assert.Equal(356L, HandleRecord.Home(new NodeId(new Guid(Bytes(0xA0))), 1023));
    }

    [Fact]
    public void HomeSlot_DependsOnlyOnTheLastEightBytes()
    {
        byte[] a = Bytes(0x00), b = Bytes(0x00);
        b[0] ^= 0xFF;
        b[7] ^= 0xFF;
        Assert.Equal(HandleRecord.Home(new NodeId(new Guid(a)), 1023), HandleRecord.Home(new NodeId(new Guid(b)), 1023));
    }
}
