using Sop.Errors;
using Sop.Tests.Support;
using Sop.Transactions;
using Sop.Trees;
using static Sop.Tests.Behaviour.BehaviourSupport;

namespace Sop.Tests.Behaviour;

/// <summary>
/// Keys-only scans never read value blobs (sop-reference §10 scenario 20): proven by deleting every value blob file
/// after the commit; keys-only scans and cursor key walks still work, every value read fails.
/// </summary>
public sealed class KeysOnlyScanTests
{
    [Theory]
    [InlineData(StoreKind.File, false, 10)]
    [InlineData(StoreKind.File, true, 5_000)]
    [InlineData(StoreKind.Memory, false, 10)]
    [InlineData(StoreKind.Memory, true, 5_000)]
    public async Task ValueBlobFilesDeleted_KeysOnlyScanStillWorksWhileValueReadsFail(StoreKind kind, bool valueInNode, int valueLength)
    {
        const int n = 40;
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("v") { ValueInNode = valueInNode, SlotLength = 4 });
        await CommitAsync<int, string>(engine, "v", s =>
        {
            for (int i = 0; i < n; i++) s.Add(i, new string((char)('a' + (i % 26)), valueLength));
        });

        var valueBlobs = ValueBlobFiles(h.FileSystem, engine.Layout, "v");
        Assert.Equal(n, valueBlobs.Count); // every value lives in its own blob
        foreach (string path in valueBlobs) h.FileSystem.DeleteFile(path);
        Assert.Empty(ValueBlobFiles(h.FileSystem, engine.Layout, "v"));

        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<int, string>("v");

        var keys = new List<int>();
        await foreach (var item in s.ScanAsync(keysOnly: true))
        {
            Assert.Null(item.Value);
            keys.Add(item.Key);
        }
        Assert.Equal(Enumerable.Range(0, n), keys);

        var rangeKeys = new List<int>();
        await foreach (var item in s.ScanAsync(KeyRange<int>.Between(10, 20), descending: true, keysOnly: true)) rangeKeys.Add(item.Key);
        Assert.Equal(Enumerable.Range(10, 10).Reverse(), rangeKeys);

        // cursor navigation with CurrentKey is a key-only walk too
        int walked = 0;
        for (bool ok = s.First(); ok; ok = s.Next())
        {
            Assert.Equal(walked, s.CurrentKey);
            walked++;
        }
        Assert.Equal(n, walked);
        Assert.True(s.Find(7));
        Assert.Equal(n, s.Count);

        // reading a value needs its blob, which is gone
        Assert.ThrowsAny<SopException>(() => s.CurrentValue);
        Assert.ThrowsAny<SopException>(() => s.TryGetValue(3, out _));
        await Assert.ThrowsAnyAsync<SopException>(async () =>
        {
            await foreach (var _ in s.ScanAsync())
            {
            }
        });
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task SmallValuesInNode_KeysOnlyScanLeavesValuesDefaultAndFullScanReturnsThem(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<string, string>(h, new StoreOptions("n"));
        await CommitAsync<string, string>(engine, "n", s =>
        {
            s.Add("a", "1");
            s.Add("b", "2");
        });
        Assert.Empty(ValueBlobFiles(h.FileSystem, engine.Layout, "n"));
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<string, string>("n");
        Assert.All(s.Scan(keysOnly: true), x => Assert.Null(x.Value));
        Assert.Equal(["1", "2"], s.Scan().Select(x => x.Value));
        await tx.CommitAsync();
    }
}
