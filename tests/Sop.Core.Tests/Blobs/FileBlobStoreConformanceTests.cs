using Sop.Blobs;
using Sop.Errors;
using Sop.Ids;
using Sop.Storage;

namespace Sop.Tests.Blobs;

/// <summary>
/// <see cref="FileBlobStore"/> on any <see cref="IFileSystem"/>: the shared blob-store behaviour plus what only the
/// file store can show (its files are framed by an <see cref="Envelope"/>; damage is detected, a rewrite repairs it).
/// </summary>
public abstract class FileBlobStoreConformanceTests : BlobStoreConformanceTests
{
    /// <summary>The file system under the store.</summary>
    protected IFileSystem Fs { get; }

    /// <summary>The data folder layout the store uses.</summary>
    protected DataFolderLayout Layout { get; private set; } = null!;

    protected FileBlobStoreConformanceTests(IFileSystem fs) => Fs = fs;

    protected override IBlobStore CreateStore(string dataFolder)
    {
        Layout = new DataFolderLayout(dataFolder);
        return new FileBlobStore(Fs, Layout);
    }

    private (BlobId Id, string Path) WriteOne(byte[] payload, EnvelopeKind kind = EnvelopeKind.Node)
    {
        var id = BlobId.New();
        Store.Write("s", id, kind, payload);
        return (id, Layout.BlobPath("s", id));
    }

    [Fact]
    public void BlobFile_IsEnvelopeAtLayoutPath()
    {
        var (id, path) = WriteOne([1, 2, 3], EnvelopeKind.Value);
        Assert.Equal(Envelope.Wrap(EnvelopeKind.Value, [1, 2, 3]), Fs.TryReadAllBytes(path));
        string hex = id.Value.ToString("N");
        Assert.Equal(Path.Combine(Layout.BlobsDirectory("s"), hex[..2], hex[2..3], hex), path);
    }

    [Theory]
    [InlineData(0)] // magic
    [InlineData(4)] // format
    [InlineData(6)] // kind
    [InlineData(8)] // length
    [InlineData(12)] // crc
    [InlineData(16)] // first payload byte
    [InlineData(16 + 4999)] // last payload byte
    public void FlippedByte_ReadThrowsDataCorruptionAndIsNotIntact(int offset)
    {
        var (id, path) = WriteOne(RandomBytes(3, 5000));
        byte[] bytes = Fs.TryReadAllBytes(path)!;
        bytes[offset] ^= 0x01;
        Fs.WriteAllBytes(path, bytes);
        Assert.Throws<DataCorruptionException>(() => Store.TryRead("s", id, EnvelopeKind.Node));
        Assert.False(Store.IsIntact("s", id, EnvelopeKind.Node));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)] // shorter than the header
    [InlineData(16)] // header only
    [InlineData(16 + 4999)] // last byte missing
    public void TruncatedFile_ReadThrowsDataCorruptionAndIsNotIntact(int keep)
    {
        var (id, path) = WriteOne(RandomBytes(4, 5000));
        using (var f = Fs.Open(path, FileOpenMode.Open)) f.SetLength(keep);
        Assert.Throws<DataCorruptionException>(() => Store.TryRead("s", id, EnvelopeKind.Node));
        Assert.False(Store.IsIntact("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void TrailingGarbage_ReadThrowsDataCorruption()
    {
        var (id, path) = WriteOne([1, 2, 3]);
        using (var f = Fs.Open(path, FileOpenMode.Open)) f.Write(f.Length, [0]);
        Assert.Throws<DataCorruptionException>(() => Store.TryRead("s", id, EnvelopeKind.Node));
        Assert.False(Store.IsIntact("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void RewriteOverDamagedFile_Repairs()
    {
        byte[] payload = RandomBytes(5, 1000);
        var (id, path) = WriteOne(payload);
        using (var f = Fs.Open(path, FileOpenMode.Open)) f.SetLength(500);
        Store.Write("s", id, EnvelopeKind.Node, payload);
        Assert.True(Store.IsIntact("s", id, EnvelopeKind.Node));
        Assert.Equal(payload, Store.TryRead("s", id, EnvelopeKind.Node));
    }

    [Fact]
    public void StoreFolderDeletedBehindTheStoresBack_WriteRecreatesIt()
    {
        var (first, _) = WriteOne([1]);
        Fs.DeleteDirectory(Layout.StoreDirectory("s"));
        Store.Write("s", first, EnvelopeKind.Node, [2]); // the store cached the (now gone) fan-out folder
        Assert.Equal(new byte[] { 2 }, Store.TryRead("s", first, EnvelopeKind.Node));
    }

    [Fact]
    public void DeleteStore_RemovesBlobsFolderOnly()
    {
        WriteOne([1]);
        Fs.WriteAllBytes(Layout.StoreInfoPath("s"), [9]);
        Store.DeleteStore("s");
        Assert.False(Fs.DirectoryExists(Layout.BlobsDirectory("s")));
        Assert.True(Fs.FileExists(Layout.StoreInfoPath("s")));
    }
}
