using Sop.Errors;
using Sop.Tests.Support;
using Sop.Transactions;
using static Sop.Tests.Behaviour.BehaviourSupport;

namespace Sop.Tests.Behaviour;

/// <summary>
/// Values in their own blobs: values over 4 KiB, and every value of a ValueInNode=false store
/// (decisions.md 7; sop-reference §10 scenarios 44 adapted to 1 MiB, 47, 49).
/// </summary>
public sealed class LargeValueTests
{
    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(StoreKind.File, true)]
    [InlineData(StoreKind.File, false)]
    [InlineData(StoreKind.Memory, true)]
    [InlineData(StoreKind.Memory, false)]
    public async Task OneMebibyteValue_RoundTripsByteIdenticalAcrossReopen(StoreKind kind, bool valueInNode)
    {
        byte[] big = RandomBytes(1 << 20, 44);
        using var h = new EngineHarness(kind);
        await using (var engine = await OpenWithStoreAsync<string, byte[]>(h, new StoreOptions("big") { ValueInNode = valueInNode }))
        {
            await CommitAsync<string, byte[]>(engine, "big", s =>
            {
                Assert.True(s.Add("blob", big));
                Assert.True(s.Add("small", [1, 2, 3]));
            });
            Assert.Equal(valueInNode ? 1 : 2, ValueBlobFiles(h.FileSystem, engine.Layout, "big").Count);
            await using var tx = engine.Begin(TransactionMode.ForReading);
            var s = tx.OpenStore<string, byte[]>("big");
            Assert.True(s.TryGetValue("blob", out var read));
            Assert.Equal(big, read);
            await tx.CommitAsync();
        }
        await using (var engine = await h.OpenAsync())
        {
            await using var tx = engine.Begin(TransactionMode.ForReading);
            var s = tx.OpenStore<string, byte[]>("big");
            Assert.True(s.Find("blob"));
            Assert.Equal(big, s.CurrentValue);
            Assert.True(s.Next());
            Assert.Equal([1, 2, 3], s.CurrentValue);
            await tx.CommitAsync();
        }
    }

    [Theory]
    [InlineData(StoreKind.File, true)]
    [InlineData(StoreKind.File, false)]
    [InlineData(StoreKind.Memory, true)]
    [InlineData(StoreKind.Memory, false)]
    public async Task RolledBackLargeValue_LeavesNoBlobFile(StoreKind kind, bool valueInNode)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<string, byte[]>(h, new StoreOptions("big") { ValueInNode = valueInNode });
        await CommitAsync<string, byte[]>(engine, "big", s => s.Add("seed", RandomBytes(10_000, 1)));
        var blobsBefore = BlobFiles(h.FileSystem, engine.Layout, "big");
        var before = Snapshot(h.FileSystem, h.DataPath);

        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<string, byte[]>("big");
            Assert.True(s.Add("blob", RandomBytes(1 << 20, 2)));
            Assert.True(s.Update("seed", RandomBytes(20_000, 3)));
            Assert.True(s.TryGetValue("blob", out var staged)); // the transaction sees its own staged value
            Assert.Equal(1 << 20, staged!.Length);
            await tx.RollbackAsync();
        }
        await using (var tx = engine.Begin())
        {
            tx.OpenStore<string, byte[]>("big").Add("disposed", RandomBytes(1 << 20, 4));
            // disposed without commit
        }

        Assert.Equal(blobsBefore, BlobFiles(h.FileSystem, engine.Layout, "big"));
        AssertSameSnapshot(before, Snapshot(h.FileSystem, h.DataPath));
        var all = await ReadAllAsync<string, byte[]>(engine, "big");
        Assert.Equal("seed", Assert.Single(all).Key);
        Assert.Equal(RandomBytes(10_000, 1), all[0].Value);
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ValueJustOverInlineLimit_GoesToItsOwnBlobWhileOneAtTheLimitStaysInNode(StoreKind kind)
    {
        // a string value serializes as JSON: its length plus two quotes
        string atLimit = new('a', SopDefaults.InlineValueMaxBytes - 2);
        string overLimit = new('b', SopDefaults.InlineValueMaxBytes - 1);
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("v"));
        await CommitAsync<int, string>(engine, "v", s => s.Add(1, atLimit));
        Assert.Empty(ValueBlobFiles(h.FileSystem, engine.Layout, "v"));
        await CommitAsync<int, string>(engine, "v", s => s.Add(2, overLimit));
        Assert.Single(ValueBlobFiles(h.FileSystem, engine.Layout, "v"));
        Assert.Equal([(1, atLimit), (2, overLimit)], await ReadAllAsync<int, string>(engine, "v"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ReadUpdateRollbackInValueBlobStore_OriginalValueStillReadable(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("m") { ValueInNode = false });
        await CommitAsync<int, string>(engine, "m", s => s.Add(1, "original"));
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<int, string>("m");
            Assert.True(s.TryGetValue(1, out var v));
            Assert.Equal("original", v);
            Assert.True(s.Update(1, "changed"));
            Assert.True(s.TryGetValue(1, out v));
            Assert.Equal("changed", v);
            await tx.RollbackAsync();
        }
        Assert.Equal([(1, "original")], await ReadAllAsync<int, string>(engine, "m"));
        Assert.Single(ValueBlobFiles(h.FileSystem, engine.Layout, "m"));

        // still readable after a checkpoint
        await engine.CheckpointAsync();
        Assert.Equal([(1, "original")], await ReadAllAsync<int, string>(engine, "m"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task TransactionWhoseOnlyChangeIsRemove_CommitsAndValueBlobIsReclaimed(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("m") { ValueInNode = false });
        await CommitAsync<int, string>(engine, "m", s =>
        {
            s.Add(1, "x");
            s.Add(2, "y");
        });
        Assert.Equal(2, ValueBlobFiles(h.FileSystem, engine.Layout, "m").Count);
        await CommitAsync<int, string>(engine, "m", s => Assert.True(s.Remove(1)));
        Assert.Equal(1, engine.GetCount("m"));
        Assert.Equal([(2, "y")], await ReadAllAsync<int, string>(engine, "m"));

        // with no transaction running, a checkpoint deletes the removed item's value blob
        await engine.CheckpointAsync();
        Assert.Single(ValueBlobFiles(h.FileSystem, engine.Layout, "m"));
        Assert.Equal([(2, "y")], await ReadAllAsync<int, string>(engine, "m"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task UpdatedLargeValue_OldBlobReclaimedOnlyAfterOlderReaderEnds(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, byte[]>(h, new StoreOptions("m"));
        byte[] v1 = RandomBytes(50_000, 1), v2 = RandomBytes(60_000, 2);
        await CommitAsync<int, byte[]>(engine, "m", s => s.Add(1, v1));

        var reader = engine.Begin(TransactionMode.ForReading);
        var r = reader.OpenStore<int, byte[]>("m");
        Assert.True(r.Find(1)); // pins the node that names v1's blob

        await CommitAsync<int, byte[]>(engine, "m", s => Assert.True(s.Update(1, v2)));
        await engine.CheckpointAsync();
        Assert.Equal(2, ValueBlobFiles(h.FileSystem, engine.Layout, "m").Count);
        Assert.Equal(v1, r.CurrentValue); // the older reader still reads its version
        await Assert.ThrowsAsync<TransactionConflictException>(async () => await reader.CommitAsync());

        await engine.CheckpointAsync();
        Assert.Single(ValueBlobFiles(h.FileSystem, engine.Layout, "m"));
        var all = await ReadAllAsync<int, byte[]>(engine, "m");
        Assert.Equal(v2, Assert.Single(all).Value);
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ValueCrossingInlineLimitBothWays_RoundTripsAndLeavesNoOrphanBlob(StoreKind kind)
    {
        string small = "small", large = new('L', 10_000), larger = new('M', 20_000);
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("m"));
        await CommitAsync<int, string>(engine, "m", s => s.Add(1, small));
        await CommitAsync<int, string>(engine, "m", s => s.Update(1, large));
        Assert.Equal([(1, large)], await ReadAllAsync<int, string>(engine, "m"));
        await CommitAsync<int, string>(engine, "m", s => s.Update(1, small));
        Assert.Equal([(1, small)], await ReadAllAsync<int, string>(engine, "m"));
        await CommitAsync<int, string>(engine, "m", s =>
        {
            // staged blobs replaced or removed within one transaction are never written
            s.Update(1, large);
            s.Update(1, larger);
            s.Add(2, large);
            s.Remove(2);
        });
        await engine.CheckpointAsync();
        Assert.Single(ValueBlobFiles(h.FileSystem, engine.Layout, "m"));
        Assert.Equal([(1, larger)], await ReadAllAsync<int, string>(engine, "m"));
        await CommitAsync<int, string>(engine, "m", s => s.Remove(1));
        await engine.CheckpointAsync();
        Assert.Empty(ValueBlobFiles(h.FileSystem, engine.Layout, "m"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ConflictingCommitWithLargeValue_LeavesNoBlobFile(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, byte[]>(h, new StoreOptions("m"));
        await CommitAsync<int, byte[]>(engine, "m", s => s.Add(1, [1]));
        await using var loser = engine.Begin();
        var l = loser.OpenStore<int, byte[]>("m");
        Assert.True(l.TryGetValue(1, out _));
        l.Add(2, RandomBytes(1 << 20, 9));
        await CommitAsync<int, byte[]>(engine, "m", s => s.Update(1, [2]));
        var before = BlobFiles(h.FileSystem, engine.Layout, "m");
        await Assert.ThrowsAsync<TransactionConflictException>(async () => await loser.CommitAsync());
        Assert.Equal(before, BlobFiles(h.FileSystem, engine.Layout, "m"));
        Assert.Empty(ValueBlobFiles(h.FileSystem, engine.Layout, "m"));
    }
}
