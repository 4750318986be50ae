using Sop.Storage;

namespace Sop.Tests.Storage;

/// <summary>Freezes the on-disk frame and its enum values (a format change bumps the version, never these bytes).</summary>
public sealed class EnvelopeGoldenTests
{
    [Fact]
    public void Wrap_EmptyNodePayload_HasFrozenHeader()
    {
        byte[] framed = Envelope.Wrap(EnvelopeKind.Node, []);
        Assert.Equal("534F5042010001000000000048DD063B", Convert.ToHexString(framed));
    }

    [Fact]
    public void EnvelopeKinds_KeepTheirNumbers()
    {
        Assert.Equal(1, (byte)EnvelopeKind.Node);
        Assert.Equal(2, (byte)EnvelopeKind.Value);
        Assert.Equal(3, (byte)EnvelopeKind.StoreInfo);
        Assert.Equal(4, (byte)EnvelopeKind.FolderHeader);
    }

    [Fact]
    public void TryUnwrap_FlippedPayloadBit_IsRejected()
    {
        byte[] framed = Envelope.Wrap(EnvelopeKind.Value, [1, 2, 3]);
        framed[^1] ^= 0x10;
        Assert.False(Envelope.TryUnwrap(framed, EnvelopeKind.Value, out _, out string? error));
        Assert.Equal("checksum mismatch", error);
    }

    [Fact]
    public void TryUnwrap_TruncatedFrame_IsRejected()
    {
        byte[] framed = Envelope.Wrap(EnvelopeKind.Value, [1, 2, 3]);
        Assert.False(Envelope.TryUnwrap(framed.AsSpan(0, framed.Length - 1), EnvelopeKind.Value, out _, out _));
    }
}
