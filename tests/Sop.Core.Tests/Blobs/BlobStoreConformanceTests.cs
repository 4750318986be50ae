using Sop.Blobs;
using Sop.Errors;
using Sop.Ids;
using Sop.Storage;
using Sop.Tests.Storage;

namespace Sop.Tests.Blobs;

/// <summary>
/// The behaviour every <see cref="IBlobStore"/> shares. Each implementation subclasses this in a few lines; every
/// test gets its own temp folder (used as the data folder by the file-backed stores).
/// </summary>
public abstract class BlobStoreConformanceTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private IBlobStore? _store;

    /// <summary>The blob store under test, created on first use.</summary>
    protected IBlobStore Store => _store ??= CreateStore(_temp.Path);

    /// <summary>Creates a fresh store over the given (not yet existing) data folder.</summary>
    protected abstract IBlobStore CreateStore(string dataFolder);

    /// <inheritdoc />
    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void EmptyPayload_RoundTrips()
    {
        var id = BlobId.New();
        Store.Write("s", id, EnvelopeKind.Node, []);
        Assert.Empty(Store.TryRead("s", id, EnvelopeKind.Node)!);
        Assert.True(Store.IsIntact("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void OneMebibytePayload_RoundTrips()
    {
        var id = BlobId.New();
        byte[] payload = RandomBytes(seed: 1, 1 << 20);
        Store.Write("s", id, EnvelopeKind.Value, payload);
        Assert.Equal(payload, Store.TryRead("s", id, EnvelopeKind.Value));
        Assert.True(Store.IsIntact("s", id, EnvelopeKind.Value));
    }

    [Fact]
    public void MissingBlob_ReadsNullAndIsNotIntact()
    {
        var id = BlobId.New();
        Assert.Null(Store.TryRead("s", id, EnvelopeKind.Node));
        Assert.False(Store.IsIntact("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void MissingBlobInStoreWithOtherBlobs_ReadsNull()
    {
        Store.Write("s", BlobId.New(), EnvelopeKind.Node, [1]);
        Assert.Null(Store.TryRead("s", BlobId.New(), EnvelopeKind.Node));
    }

    [Fact]
    public void SameIdInTwoStores_AreIndependent()
    {
        var id = BlobId.New();
        Store.Write("a", id, EnvelopeKind.Node, [1]);
        Store.Write("b", id, EnvelopeKind.Node, [2]);
        Assert.Equal(new byte[] { 1 }, Store.TryRead("a", id, EnvelopeKind.Node));
        Assert.Equal(new byte[] { 2 }, Store.TryRead("b", id, EnvelopeKind.Node));
        Store.Delete("a", id);
        Assert.Null(Store.TryRead("a", id, EnvelopeKind.Node));
        Assert.Equal(new byte[] { 2 }, Store.TryRead("b", id, EnvelopeKind.Node));
    }

    [Fact]
    public void SecondWriteOfSameId_Replaces()
    {
        var id = BlobId.New();
        Store.Write("s", id, EnvelopeKind.Node, [1, 2, 3, 4]);
        Store.Write("s", id, EnvelopeKind.Node, [5]);
        Assert.Equal(new byte[] { 5 }, Store.TryRead("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void MutatingSourceAfterWrite_DoesNotChangeBlob()
    {
        var id = BlobId.New();
        byte[] source = [1, 2, 3];
        Store.Write("s", id, EnvelopeKind.Node, source);
        source[0] = 99;
        Assert.Equal(new byte[] { 1, 2, 3 }, Store.TryRead("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void MutatingReadResult_DoesNotChangeBlob()
    {
        var id = BlobId.New();
        Store.Write("s", id, EnvelopeKind.Node, [1, 2, 3]);
        Store.TryRead("s", id, EnvelopeKind.Node)![0] = 99;
        Assert.Equal(new byte[] { 1, 2, 3 }, Store.TryRead("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void Delete_MakesBlobMissing()
    {
        var id = BlobId.New();
        Store.Write("s", id, EnvelopeKind.Node, [1]);
        Store.Delete("s", id);
        Assert.Null(Store.TryRead("s", id, EnvelopeKind.Node));
        Assert.False(Store.IsIntact("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void DeleteTwice_DoesNotThrow()
    {
        var id = BlobId.New();
        Store.Write("s", id, EnvelopeKind.Node, [1]);
        Store.Delete("s", id);
        Store.Delete("s", id);
        Assert.Null(Store.TryRead("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void DeleteOfNeverWrittenBlob_DoesNotThrow()
    {
        Store.Delete("s", BlobId.New());
        Assert.False(Store.IsIntact("s", BlobId.New(), EnvelopeKind.Node));
    }

    [Fact]
    public void DeleteAfterDeleteStore_DoesNotThrow()
    {
        var id = BlobId.New();
        Store.Write("s", id, EnvelopeKind.Node, [1]);
        Store.DeleteStore("s");
        Store.Delete("s", id);
        Assert.Null(Store.TryRead("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void DeleteStore_RemovesAllBlobsOfThatStoreOnly()
    {
        // "orders" is a prefix of "orders2": a prefix match must not reach the other store.
        var doomed = Enumerable.Range(0, 20).Select(_ => BlobId.New()).ToList();
        var kept = Enumerable.Range(0, 20).Select(_ => BlobId.New()).ToList();
        foreach (var id in doomed) Store.Write("orders", id, EnvelopeKind.Node, [1]);
        foreach (var id in kept) Store.Write("orders2", id, EnvelopeKind.Node, [2]);
        Store.Write("orders2", doomed[0], EnvelopeKind.Node, [3]);

        Store.DeleteStore("orders");

        foreach (var id in doomed) Assert.Null(Store.TryRead("orders", id, EnvelopeKind.Node));
        foreach (var id in kept) Assert.Equal(new byte[] { 2 }, Store.TryRead("orders2", id, EnvelopeKind.Node));
        Assert.Equal(new byte[] { 3 }, Store.TryRead("orders2", doomed[0], EnvelopeKind.Node));
    }

    [Fact]
    public void DeleteStoreThenWrite_Works()
    {
        var first = BlobId.New();
        Store.Write("s", first, EnvelopeKind.Node, [1]);
        Store.DeleteStore("s");
        Store.Write("s", first, EnvelopeKind.Node, [2]); // same fan-out folder as before the delete
        var second = BlobId.New();
        Store.Write("s", second, EnvelopeKind.Value, [3]);
        Assert.Equal(new byte[] { 2 }, Store.TryRead("s", first, EnvelopeKind.Node));
        Assert.Equal(new byte[] { 3 }, Store.TryRead("s", second, EnvelopeKind.Value));
    }

    [Fact]
    public void DeleteStoreOfUnknownStore_DoesNotThrow()
    {
        Store.DeleteStore("never-written");
        Store.DeleteStore("never-written");
    }

    [Fact]
    public void WrongKind_IsNotIntact()
    {
        var id = BlobId.New();
        Store.Write("s", id, EnvelopeKind.Node, [1, 2]);
        Assert.False(Store.IsIntact("s", id, EnvelopeKind.Value));
        Assert.True(Store.IsIntact("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void ReadWithWrongKind_ThrowsDataCorruption()
    {
        var id = BlobId.New();
        Store.Write("s", id, EnvelopeKind.Node, [1, 2]);
        Assert.Throws<DataCorruptionException>(() => Store.TryRead("s", id, EnvelopeKind.Value));
        Assert.Equal(new byte[] { 1, 2 }, Store.TryRead("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void ManyBlobs_AllRoundTrip()
    {
        var rnd = new Random(7);
        var blobs = Enumerable.Range(0, 100).ToDictionary(_ => BlobId.New(), i => RandomBytes(i, rnd.Next(0, 300)));
        foreach (var (id, payload) in blobs) Store.Write("s", id, EnvelopeKind.Value, payload);
        foreach (var (id, payload) in blobs) Assert.Equal(payload, Store.TryRead("s", id, EnvelopeKind.Value));
    }
}
