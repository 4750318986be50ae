using Sop.Ids;
using Sop.Log;
using Sop.Registry;

namespace Sop.Tests.Log;

/// <summary>Commit records carry the lock-server generation (format 2); logs written before it (format 1) still replay.</summary>
public sealed class CommitRecordFormatTests
{
    private static CommitRecord Sample(string? generation)
    {
        var record = new CommitRecord { TransactionId = Guid.NewGuid(), UnixMs = 1_700_000_000_000, Generation = generation };
        var section = new CommitRecord.StoreSection { Name = "s", StoreId = Guid.NewGuid(), CountDelta = 3 };
        section.Nodes.Add(new CommitRecord.NodeChange(Handle.ForNew(NodeId.New(), BlobId.New()), [1, 2, 3]));
        section.Obsolete.Add(BlobId.New());
        record.Stores.Add(section);
        return record;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("6f1c2d")]
    public void Generation_RoundTrips_AndCanBePeeked(string? generation)
    {
        var record = Sample(generation);
        byte[] payload = record.Encode();
        Assert.Equal(generation, CommitRecord.PeekGeneration(payload));
        var decoded = CommitRecord.Decode(payload);
        Assert.Equal(generation, decoded.Generation);
        Assert.Equal(record.TransactionId, decoded.TransactionId);
        Assert.Equal(record.Stores[0].Nodes[0].Handle, decoded.Stores[0].Nodes[0].Handle);
        Assert.Equal(3, decoded.Stores[0].CountDelta);
    }

    [Fact]
    public void FormatOneRecord_DecodesWithoutAGeneration()
    {
        var record = Sample(generation: null);
        byte[] v2 = record.Encode();
        // format 1 = the same bytes without the (empty) generation: format byte, then the transaction id directly
        byte[] v1 = [1, .. v2.AsSpan(3)];
        Assert.Null(CommitRecord.PeekGeneration(v1));
        var decoded = CommitRecord.Decode(v1);
        Assert.Null(decoded.Generation);
        Assert.Equal(record.TransactionId, decoded.TransactionId);
        Assert.Equal(record.Stores[0].Obsolete, decoded.Stores[0].Obsolete);
    }

    [Fact]
    public void UnknownFormat_IsCorruption()
    {
        byte[] payload = Sample("g").Encode();
        payload[0] = 9;
        Assert.Throws<Errors.DataCorruptionException>(() => CommitRecord.Decode(payload));
    }
}
