using Sop.Errors;
using Sop.Tests.Support;
using Sop.Transactions;
using Sop.Trees;
using static Sop.Tests.Behaviour.BehaviourSupport;

namespace Sop.Tests.Behaviour;

/// <summary>Store create/open/list/delete in a database folder (sop-reference §10 scenarios 12-14 adapted; decisions.md 19, 30).</summary>
public sealed class StoreLifecycleTests
{
    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task CreateStore_InfoReflectsOptionsAndStoreIsListed(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        Assert.Empty(engine.ListStores());
        var created = await engine.CreateStoreAsync<string, long>(new StoreOptions("people")
        {
            SlotLength = 9,
            UniqueKeys = false,
            ValueInNode = false,
            Description = "who is who",
        });
        Assert.Equal("people", created.Name);
        Assert.Equal(9, created.SlotLength); // odd slot lengths are stored as given
        Assert.False(created.UniqueKeys);
        Assert.False(created.ValueInNode);
        Assert.Equal("who is who", created.Description);
        Assert.Equal("utf8", created.KeyComparer);
        Assert.Equal(typeof(string).FullName, created.KeyType);
        Assert.Equal(typeof(long).FullName, created.ValueType);

        var listed = Assert.Single(engine.ListStores());
        Assert.Equal(created, listed);
        Assert.Equal(created, engine.TryGetStoreInfo("people"));
        Assert.Equal(0, engine.GetCount("people"));
        Assert.True(h.FileSystem.DirectoryExists(engine.Layout.StoreDirectory("people")));

        await using var tx = engine.Begin();
        var s = tx.OpenStore<string, long>("people");
        Assert.Equal(created, s.Info);
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task DefaultOptions_UniqueValueInNodeSlotLength500(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        var info = await engine.CreateStoreAsync<int, int>(new StoreOptions("d"));
        Assert.Equal(SopDefaults.SlotLength, info.SlotLength);
        Assert.True(info.UniqueKeys);
        Assert.True(info.ValueInNode);
        Assert.Equal("default:" + typeof(int).FullName, info.KeyComparer);
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ListStores_ReturnsUserStoresInOrdinalOrderWithoutSystemStores(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        foreach (string name in new[] { "b", "a..b", "Z", "a", "a-1", "a_1" })
            await engine.CreateStoreAsync<int, int>(new StoreOptions(name));
        var system = await engine.CreateSystemStoreAsync<string, string>(new StoreOptions(".macros"));
        Assert.Equal(".macros", system.Name);

        Assert.Equal(["Z", "a", "a-1", "a..b", "a_1", "b"], engine.ListStores().Select(s => s.Name));

        // the system store exists and works, it is just not listed
        await using (var tx = engine.Begin())
        {
            tx.OpenStore<string, string>(".macros").Add("m", "x");
            await tx.CommitAsync();
        }
        Assert.Equal(1, engine.GetCount(".macros"));
        Assert.DoesNotContain(engine.ListStores(), s => s.Name.StartsWith('.'));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task SystemStore_CannotBeCreatedOrDeletedThroughUserCalls(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        await Assert.ThrowsAsync<InvalidStoreNameException>(async () => await engine.CreateStoreAsync<int, int>(new StoreOptions(".macros")));
        await engine.CreateSystemStoreAsync<int, int>(new StoreOptions(".tasks"));
        await Assert.ThrowsAsync<InvalidStoreNameException>(async () => await engine.DeleteStoreAsync(".tasks"));
        Assert.Equal(0, engine.GetCount(".tasks"));
        Assert.True(await engine.DeleteSystemStoreAsync(".tasks"));
        Assert.Null(engine.TryGetStoreInfo(".tasks"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task CreateExistingStore_ThrowsStoreAlreadyExistsAndKeepsTheOriginal(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s") { SlotLength = 8 });
        await CommitAsync<int, string>(engine, "s", s => s.Add(1, "a"));
        var original = engine.TryGetStoreInfo("s");

        var e = await Assert.ThrowsAsync<StoreAlreadyExistsException>(async () => await engine.CreateStoreAsync<int, string>(new StoreOptions("s") { SlotLength = 16 }));
        Assert.Contains("'s'", e.Message);
        await Assert.ThrowsAsync<StoreAlreadyExistsException>(async () => await engine.CreateStoreAsync<string, int>(new StoreOptions("s")));

        Assert.Equal(original, engine.TryGetStoreInfo("s"));
        Assert.Equal(1, engine.GetCount("s"));
        Assert.Equal([(1, "a")], await ReadAllAsync<int, string>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task OpenMissingStore_ThrowsStoreNotFound(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        await using var tx = engine.Begin();
        var e = Assert.Throws<StoreNotFoundException>(() => tx.OpenStore<int, int>("nope"));
        Assert.Contains("nope", e.Message);
        Assert.Null(engine.TryGetStoreInfo("nope"));
        Assert.Throws<StoreNotFoundException>(() => engine.GetCount("nope"));
        Assert.False(h.FileSystem.DirectoryExists(engine.Layout.StoreDirectory("nope")));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task OpenStoreWithOtherTypesOrComparer_ThrowsStoreMismatch(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<string, int>(h, new StoreOptions("s"));
        await using (var tx = engine.Begin())
        {
            Assert.Throws<StoreMismatchException>(() => tx.OpenStore<string, string>("s"));
            Assert.Throws<StoreMismatchException>(() => tx.OpenStore<int, int>("s"));
            Assert.Throws<StoreMismatchException>(() => tx.OpenStore<string, int>("s", new ReverseComparer()));
            Assert.Throws<StoreMismatchException>(() => tx.OpenStore<string, int>("s", DefaultKeyComparer<string>.Instance));
            var s = tx.OpenStore<string, int>("s");
            Assert.Same(s, tx.OpenStore<string, int>("s", Utf8OrdinalComparer.Instance));
            Assert.Throws<StoreMismatchException>(() => tx.OpenStore<string, long>("s"));
            s.Add("x", 1);
            await tx.CommitAsync();
        }
        Assert.Equal([("x", 1)], await ReadAllAsync<string, int>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task StoreWithCustomComparer_OrdersByItAndMustBeOpenedWithIt(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        var info = await engine.CreateStoreAsync<string, int>(new StoreOptions("r"), new ReverseComparer());
        Assert.Equal("test-reverse", info.KeyComparer);
        await using (var tx = engine.Begin())
        {
            var r = tx.OpenStore<string, int>("r", new ReverseComparer());
            r.Add("a", 1);
            r.Add("c", 3);
            r.Add("b", 2);
            await tx.CommitAsync();
        }
        await using (var tx = engine.Begin(TransactionMode.ForReading))
        {
            Assert.Throws<StoreMismatchException>(() => tx.OpenStore<string, int>("r"));
            Assert.Equal(["c", "b", "a"], tx.OpenStore<string, int>("r", new ReverseComparer()).Scan().Select(x => x.Key));
            await tx.CommitAsync();
        }
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task OpenSameStoreTwiceInOneTransaction_ReturnsSameTreeAndCommits(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await using (var tx = engine.Begin())
        {
            var a = tx.OpenStore<int, int>("s");
            var b = tx.OpenStore<int, int>("s");
            Assert.Same(a, b);
            a.Add(1, 1);
            Assert.True(b.TryGetValue(1, out int v));
            Assert.Equal(1, v);
            b.Add(2, 2);
            await tx.CommitAsync();
        }
        Assert.Equal(2, engine.GetCount("s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task DeleteStore_RemovesItsFolderAndNameBecomesFree(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s") { SlotLength = 4 });
        await engine.CreateStoreAsync<int, int>(new StoreOptions("other"));
        await CommitAsync<int, string>(engine, "s", s =>
        {
            for (int i = 0; i < 100; i++) s.Add(i, new string('x', i % 2 == 0 ? 10 : 5_000));
        });
        var oldId = engine.TryGetStoreInfo("s")!.StoreId;

        Assert.True(await engine.DeleteStoreAsync("s"));
        Assert.False(h.FileSystem.DirectoryExists(engine.Layout.StoreDirectory("s")));
        Assert.Null(engine.TryGetStoreInfo("s"));
        Assert.Throws<StoreNotFoundException>(() => engine.GetCount("s"));
        Assert.Equal(["other"], engine.ListStores().Select(x => x.Name));
        await using (var tx = engine.Begin())
            Assert.Throws<StoreNotFoundException>(() => tx.OpenStore<int, string>("s"));
        Assert.False(await engine.DeleteStoreAsync("s"));
        Assert.False(await engine.DeleteStoreAsync("never-was"));

        // the name is free again, for other types too; the new store starts empty
        var again = await engine.CreateStoreAsync<string, string>(new StoreOptions("s"));
        Assert.NotEqual(oldId, again.StoreId);
        Assert.Equal(0, engine.GetCount("s"));
        await CommitAsync<string, string>(engine, "s", s => s.Add("k", "v"));
        Assert.Equal([("k", "v")], await ReadAllAsync<string, string>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task DeleteStoreWhileTransactionUsesIt_ThatTransactionCannotCommit(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await CommitAsync<int, int>(engine, "s", s => s.Add(1, 1));
        await using var tx = engine.Begin();
        var s = tx.OpenStore<int, int>("s");
        Assert.True(s.TryGetValue(1, out _));
        s.Add(2, 2);
        Assert.True(await engine.DeleteStoreAsync("s"));
        await Assert.ThrowsAnyAsync<SopException>(async () => await tx.CommitAsync());
        Assert.False(tx.IsActive);
        Assert.Null(engine.TryGetStoreInfo("s"));
        Assert.False(h.FileSystem.DirectoryExists(engine.Layout.StoreDirectory("s")));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task StoresAndCounts_SurviveReopen(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using (var engine = await h.OpenAsync())
        {
            await engine.CreateStoreAsync<int, int>(new StoreOptions("a"));
            await engine.CreateStoreAsync<string, string>(new StoreOptions("b") { UniqueKeys = false });
            await engine.CreateStoreAsync<int, int>(new StoreOptions("gone"));
            await engine.CreateSystemStoreAsync<int, int>(new StoreOptions(".sys"));
            await CommitAsync<int, int>(engine, "a", s =>
            {
                for (int i = 0; i < 30; i++) s.Add(i, i);
            });
            await CommitAsync<string, string>(engine, "b", s =>
            {
                s.Add("x", "1");
                s.Add("x", "2");
            });
            Assert.True(await engine.DeleteStoreAsync("gone"));
        }
        await using (var engine = await h.OpenAsync())
        {
            Assert.Equal(["a", "b"], engine.ListStores().Select(x => x.Name));
            Assert.Equal(30, engine.GetCount("a"));
            Assert.Equal(2, engine.GetCount("b"));
            Assert.NotNull(engine.TryGetStoreInfo(".sys"));
            Assert.False(engine.TryGetStoreInfo("b")!.UniqueKeys);
            Assert.Equal([("x", "1"), ("x", "2")], await ReadAllAsync<string, string>(engine, "b"));
        }
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task TwoStoresInOneTransaction_CommitTogetherOrNotAtAll(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        await engine.CreateStoreAsync<int, int>(new StoreOptions("a"));
        await engine.CreateStoreAsync<int, int>(new StoreOptions("b"));
        await using (var tx = engine.Begin())
        {
            tx.OpenStore<int, int>("a").Add(1, 1);
            tx.OpenStore<int, int>("b").Add(2, 2);
            await tx.RollbackAsync();
        }
        Assert.Equal(0, engine.GetCount("a"));
        Assert.Equal(0, engine.GetCount("b"));
        await using (var tx = engine.Begin())
        {
            tx.OpenStore<int, int>("a").Add(1, 1);
            tx.OpenStore<int, int>("b").Add(2, 2);
            await tx.CommitAsync();
        }
        Assert.Equal(1, engine.GetCount("a"));
        Assert.Equal(1, engine.GetCount("b"));
    }

    private sealed class ReverseComparer : SopKeyComparer<string>
    {
        public override string Id => "test-reverse";

        public override int Compare(string? x, string? y) => string.CompareOrdinal(y, x);
    }
}
