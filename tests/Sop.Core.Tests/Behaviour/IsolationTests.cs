using Sop.Errors;
using Sop.Tests.Support;
using Sop.Transactions;
using Sop.Trees;
using static Sop.Tests.Behaviour.BehaviourSupport;

namespace Sop.Tests.Behaviour;

/// <summary>
/// A transaction's writes are invisible to others until it commits; a commit that lost to a concurrent one throws
/// <see cref="TransactionConflictException"/> and leaves nothing behind (decisions.md 3, 4).
/// </summary>
public sealed class IsolationTests
{
    [Theory]
    [InlineData(StoreKind.File, TransactionMode.ForWriting)]
    [InlineData(StoreKind.File, TransactionMode.ForReading)]
    [InlineData(StoreKind.File, TransactionMode.NoCheck)]
    [InlineData(StoreKind.Memory, TransactionMode.ForWriting)]
    [InlineData(StoreKind.Memory, TransactionMode.ForReading)]
    [InlineData(StoreKind.Memory, TransactionMode.NoCheck)]
    public async Task UncommittedWrites_InvisibleToOtherTransactionsUntilCommit(StoreKind kind, TransactionMode observerMode)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s") { SlotLength = 4 });
        await CommitAsync<int, string>(engine, "s", s =>
        {
            for (int i = 0; i < 10; i++) s.Add(i, "old");
        });

        await using var writer = engine.Begin();
        var w = writer.OpenStore<int, string>("s");
        w.Add(100, "new");
        w.Update(1, "changed");
        w.Remove(2);
        for (int i = 200; i < 260; i++) w.Add(i, "split the tree"); // structural changes too

        await using (var observer = engine.Begin(observerMode))
        {
            var o = observer.OpenStore<int, string>("s");
            Assert.False(o.Find(100));
            Assert.True(o.TryGetValue(1, out var v1));
            Assert.Equal("old", v1);
            Assert.True(o.TryGetValue(2, out _));
            Assert.Equal(Enumerable.Range(0, 10), o.Scan().Select(x => x.Key));
            Assert.Equal(10, o.Count);
            Assert.Equal(10, o.CheckInvariants());
            await observer.CommitAsync();
        }
        Assert.Equal(10, engine.GetCount("s"));

        await writer.CommitAsync();

        await using (var after = engine.Begin(observerMode))
        {
            var o = after.OpenStore<int, string>("s");
            Assert.True(o.TryGetValue(100, out var v100));
            Assert.Equal("new", v100);
            Assert.True(o.TryGetValue(1, out var v1));
            Assert.Equal("changed", v1);
            Assert.False(o.TryGetValue(2, out _));
            Assert.Equal(70, o.Count);
            Assert.Equal(70, o.Scan().Count());
            await after.CommitAsync();
        }
        Assert.Equal(70, engine.GetCount("s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task TwoWritersOfDifferentStores_BothCommit(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        await engine.CreateStoreAsync<int, int>(new StoreOptions("a"));
        await engine.CreateStoreAsync<int, int>(new StoreOptions("b"));
        await using var t1 = engine.Begin();
        await using var t2 = engine.Begin();
        var a = t1.OpenStore<int, int>("a");
        var b = t2.OpenStore<int, int>("b");
        Assert.False(a.Find(1));
        Assert.False(b.Find(2));
        a.Add(1, 1);
        b.Add(2, 2);
        await t1.CommitAsync();
        await t2.CommitAsync();
        Assert.Equal(1, engine.GetCount("a"));
        Assert.Equal(1, engine.GetCount("b"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task MissingKeyReadThenInsertedByOther_ReaderWriteCommitThrowsConflict(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        await engine.CreateStoreAsync<int, int>(new StoreOptions("a"));
        await engine.CreateStoreAsync<int, int>(new StoreOptions("b"));
        await using var t1 = engine.Begin();
        await using var t2 = engine.Begin();
        t1.OpenStore<int, int>("a").Add(1, 1);
        Assert.False(t2.OpenStore<int, int>("a").Find(1)); // t1's add is not visible
        t2.OpenStore<int, int>("b").Add(2, 2);
        await t1.CommitAsync();
        await Assert.ThrowsAsync<TransactionConflictException>(async () => await t2.CommitAsync()); // its read of 'a' is stale
        Assert.Equal(1, engine.GetCount("a"));
        Assert.Equal(0, engine.GetCount("b"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ReadThenConcurrentUpdateCommitsThenOwnWriteCommits_ThrowsConflictAndOwnWriteInvisible(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<string, int>(h, new StoreOptions("s"));
        await CommitAsync<string, int>(engine, "s", s => s.Add("X", 1));

        var t1 = engine.Begin();
        var s1 = t1.OpenStore<string, int>("s");
        Assert.True(s1.TryGetValue("X", out int x));
        Assert.Equal(1, x);

        await CommitAsync<string, int>(engine, "s", s => Assert.True(s.Update("X", 2)));

        s1.Add("Y", x + 10); // a write that depends on the stale read
        var e = await Assert.ThrowsAsync<TransactionConflictException>(async () => await t1.CommitAsync());
        Assert.Equal("s", e.Store);
        Assert.False(t1.IsActive);
        await Assert.ThrowsAsync<TransactionEndedException>(async () => await t1.CommitAsync());

        Assert.Equal(1, engine.GetCount("s"));
        Assert.Equal([("X", 2)], await ReadAllAsync<string, int>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task TwoWritersUpdateSameItem_SecondCommitConflictsAndFirstValueStays(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s") { ValueInNode = false });
        await CommitAsync<int, string>(engine, "s", s => s.Add(7, "seed"));
        await using var t1 = engine.Begin();
        await using var t2 = engine.Begin();
        t1.OpenStore<int, string>("s").Update(7, "t1");
        t2.OpenStore<int, string>("s").Update(7, "t2");
        await t2.CommitAsync();
        await Assert.ThrowsAsync<TransactionConflictException>(async () => await t1.CommitAsync());
        Assert.Equal([(7, "t2")], await ReadAllAsync<int, string>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ReaderThatReadAChangedItem_CommitThrowsConflict(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await CommitAsync<int, int>(engine, "s", s =>
        {
            s.Add(1, 1);
            s.Add(2, 2);
        });
        var reader = engine.Begin(TransactionMode.ForReading);
        var r = reader.OpenStore<int, int>("s");
        Assert.True(r.TryGetValue(1, out _));
        Assert.True(r.TryGetValue(2, out _));
        await CommitAsync<int, int>(engine, "s", s => s.Update(1, 10));
        await Assert.ThrowsAsync<TransactionConflictException>(async () => await reader.CommitAsync());
        Assert.False(reader.IsActive);
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task WriteSkew_BothTransactionsCannotCommit(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<string, int>(h, new StoreOptions("s"));
        await CommitAsync<string, int>(engine, "s", s =>
        {
            s.Add("X", 1);
            s.Add("Y", 1);
        });
        await using var t1 = engine.Begin();
        await using var t2 = engine.Begin();
        var a = t1.OpenStore<string, int>("s");
        var b = t2.OpenStore<string, int>("s");
        Assert.True(a.TryGetValue("X", out int x));
        Assert.True(b.TryGetValue("Y", out int y));
        a.Update("Y", x + 1);
        b.Update("X", y + 1);
        await t1.CommitAsync();
        await Assert.ThrowsAsync<TransactionConflictException>(async () => await t2.CommitAsync());
        Assert.Equal([("X", 1), ("Y", 2)], await ReadAllAsync<string, int>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task PhantomInsertIntoScannedRange_ScannerCommitThrowsConflict(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await CommitAsync<int, int>(engine, "s", s =>
        {
            s.Add(1, 1);
            s.Add(9, 9);
        });
        await using var scanner = engine.Begin();
        var sc = scanner.OpenStore<int, int>("s");
        Assert.Empty(sc.Scan(KeyRange<int>.Between(3, 7)));
        await CommitAsync<int, int>(engine, "s", s => s.Add(5, 5));
        sc.Add(100, 0); // "the range was empty" recorded elsewhere
        await Assert.ThrowsAsync<TransactionConflictException>(async () => await scanner.CommitAsync());
        Assert.Equal([1, 5, 9], (await ReadAllAsync<int, int>(engine, "s")).Select(x => x.Key));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ReaderOfOneItem_AnotherItemOfSameNodeChanged_CommitSucceeds(StoreKind kind)
    {
        // decisions.md 4: a reader fails only when an item it read changed, not when another item of the same node did
        // (sop-reference §10 scenario 33)
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await CommitAsync<int, int>(engine, "s", s =>
        {
            for (int i = 0; i < 10; i++) s.Add(i, i);
        });
        var reader = engine.Begin(TransactionMode.ForReading);
        var r = reader.OpenStore<int, int>("s");
        Assert.True(r.TryGetValue(1, out _));
        Assert.True(r.TryGetValue(2, out _));
        await CommitAsync<int, int>(engine, "s", s => s.Update(8, 80));
        await reader.CommitAsync();
        Assert.False(reader.IsActive);
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task TwoWritersUpdateDifferentItemsOfSameLeaf_BothCommit(StoreKind kind)
    {
        // decisions.md 4 (validated per item), sop-reference §10 scenario 26
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await CommitAsync<int, int>(engine, "s", s =>
        {
            for (int i = 0; i < 10; i++) s.Add(i, i);
        });
        await using var t1 = engine.Begin();
        await using var t2 = engine.Begin();
        Assert.True(t1.OpenStore<int, int>("s").Update(2, 20));
        Assert.True(t2.OpenStore<int, int>("s").Update(7, 70));
        await t1.CommitAsync();
        await t2.CommitAsync();
        var all = await ReadAllAsync<int, int>(engine, "s");
        Assert.Equal(20, all.Single(x => x.Key == 2).Value);
        Assert.Equal(70, all.Single(x => x.Key == 7).Value);
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task NoCheckReader_NeverConflictsAndSeesLatestCommittedState(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await CommitAsync<int, int>(engine, "s", s => s.Add(1, 1));
        await using var reader = engine.Begin(TransactionMode.NoCheck);
        var r = reader.OpenStore<int, int>("s");
        Assert.True(r.TryGetValue(1, out int v));
        Assert.Equal(1, v);
        await CommitAsync<int, int>(engine, "s", s =>
        {
            s.Update(1, 2);
            s.Add(2, 2);
        });
        Assert.True(r.TryGetValue(1, out v));
        Assert.Equal(2, v);
        Assert.Equal([1, 2], r.Scan().Select(x => x.Key));
        await reader.CommitAsync();
    }
}
