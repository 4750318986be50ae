using Sop.Ids;
using Sop.Storage;

namespace Sop.Tests.Storage;

/// <summary>Freezes every path <see cref="DataFolderLayout"/> builds (they are on-disk format) and its name parsers.</summary>
public sealed class DataFolderLayoutTests
{
    private readonly DataFolderLayout _layout = new("/data");

    [Fact]
    public void RelativeRoot_IsMadeAbsolute()
    {
        Assert.Equal(Path.GetFullPath("some-folder"), new DataFolderLayout("some-folder").Root);
    }

    [Fact]
    public void FolderAndStorePaths_AreFrozen()
    {
        Assert.Equal("/data/sop.db", _layout.HeaderPath);
        Assert.Equal("/data/stores", _layout.StoresDirectory);
        Assert.Equal("/data/log", _layout.LogsDirectory);
        Assert.Equal("/data/stores/orders", _layout.StoreDirectory("orders"));
        Assert.Equal("/data/stores/orders/store.info", _layout.StoreInfoPath("orders"));
        Assert.Equal("/data/stores/orders/counters.dat", _layout.CountersPath("orders"));
        Assert.Equal("/data/stores/orders/blobs", _layout.BlobsDirectory("orders"));
    }

    [Fact]
    public void RegistryPath_HasSixDigitEpoch()
    {
        Assert.Equal("/data/stores/orders/registry.000001.reg", _layout.RegistryPath("orders", 1));
        Assert.Equal("/data/stores/orders/registry.123456.reg", _layout.RegistryPath("orders", 123456));
    }

    [Fact]
    public void BlobPath_FansOutOnFirstThreeHexDigits()
    {
        var blob = new BlobId(new Guid("abcdef01-2345-6789-abcd-ef0123456789"));
        Assert.Equal("/data/stores/orders/blobs/ab/c", _layout.BlobDirectory("orders", blob));
        Assert.Equal("/data/stores/orders/blobs/ab/c/abcdef0123456789abcdef0123456789", _layout.BlobPath("orders", blob));
    }

    [Fact]
    public void LogPaths_AreFrozen()
    {
        Assert.Equal("/data/log/w007", _layout.LogDirectory(7));
        Assert.Equal("/data/log/w007/00000000000000000042.log", _layout.LogSegmentPath(7, 42));
        Assert.Equal("/data/log/w000/18446744073709551615.log", _layout.LogSegmentPath(0, ulong.MaxValue));
    }

    [Theory]
    [InlineData("registry.000001.reg", 1)]
    [InlineData("registry.000009.reg", 9)]
    [InlineData("registry.123456.reg", 123456)]
    [InlineData("store.info", -1)]
    [InlineData("counters.dat", -1)]
    [InlineData("registry.000001.reg.tmp", -1)]
    [InlineData("registry.abc.reg", -1)]
    [InlineData("registry..reg", -1)]
    [InlineData("", -1)]
    public void RegistryEpoch_ParsesOwnNamesOnly(string fileName, int expected)
    {
        Assert.Equal(expected, DataFolderLayout.RegistryEpoch(fileName));
    }

    [Fact]
    public void RegistryEpoch_RoundTripsRegistryPath()
    {
        foreach (int epoch in new[] { 1, 2, 17, 999_999 })
            Assert.Equal(epoch, DataFolderLayout.RegistryEpoch(Path.GetFileName(_layout.RegistryPath("s", epoch))));
    }

    [Fact]
    public void RegistryEpochOfOverlappingAffixes_ReturnsMinusOne()
    {
        Assert.Equal(-1, DataFolderLayout.RegistryEpoch("registry.reg"));
    }

    [Theory]
    [InlineData("00000000000000000042.log", 42UL)]
    [InlineData("18446744073709551615.log", ulong.MaxValue)]
    public void LogSegmentFirstSeq_ParsesSegmentNames(string fileName, ulong expected)
    {
        Assert.Equal(expected, DataFolderLayout.LogSegmentFirstSeq(fileName));
    }

    [Theory]
    [InlineData(".log")]
    [InlineData("42.log.tmp")]
    [InlineData("abc.log")]
    [InlineData("registry.000001.reg")]
    [InlineData("")]
    public void LogSegmentFirstSeq_RejectsOtherNames(string fileName)
    {
        Assert.Null(DataFolderLayout.LogSegmentFirstSeq(fileName));
    }

    [Fact]
    public void LogSegmentFirstSeq_RoundTripsSegmentPath()
    {
        Assert.Equal(12345UL, DataFolderLayout.LogSegmentFirstSeq(Path.GetFileName(_layout.LogSegmentPath(3, 12345))));
    }
}
