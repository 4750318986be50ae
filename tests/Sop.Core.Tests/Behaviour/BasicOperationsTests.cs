using Sop.Tests.Support;
using Sop.Transactions;
using static Sop.Tests.Behaviour.BehaviourSupport;

namespace Sop.Tests.Behaviour;

/// <summary>Point operations: Add, AddIfNotExist, Update, Upsert, Remove, Find/TryGetValue, Count (sop-reference §10 scenarios 1-7, 10).</summary>
public sealed class BasicOperationsTests
{
    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task EmptyStore_NavigationFindsNothingAndCountIsZero(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s"));
        Assert.Equal(0, engine.GetCount("s"));
        await using var tx = engine.Begin();
        var s = tx.OpenStore<int, string>("s");
        Assert.False(s.First());
        Assert.False(s.Last());
        Assert.False(s.Find(1));
        Assert.False(s.Next());
        Assert.False(s.Previous());
        Assert.False(s.TryGetValue(1, out _));
        Assert.Equal(0, s.Count);
        Assert.Empty(s.Scan());
        Assert.Equal(0, s.CheckInvariants());
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task AddThenCommit_ValueFoundInNewTransaction(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s"));
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<int, string>("s");
            Assert.True(s.Add(1, "a"));
            Assert.Equal(1, s.Count);
            await tx.CommitAsync();
        }
        Assert.Equal(1, engine.GetCount("s"));
        await using (var tx = engine.Begin(TransactionMode.ForReading))
        {
            var s = tx.OpenStore<int, string>("s");
            Assert.True(s.Find(1));
            Assert.Equal(1, s.CurrentKey);
            Assert.Equal("a", s.CurrentValue);
            Assert.True(s.TryGetValue(1, out var v));
            Assert.Equal("a", v);
            await tx.CommitAsync();
        }
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task AddExistingKeyInUniqueStore_ReturnsFalseAndChangesNothing(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s"));
        await CommitAsync<int, string>(engine, "s", s => s.Add(1, "a"));
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<int, string>("s");
            Assert.False(s.Add(1, "b"));
            Assert.Equal(1, s.Count);
            Assert.True(s.TryGetValue(1, out var v));
            Assert.Equal("a", v);
            await tx.CommitAsync();
        }
        Assert.Equal(1, engine.GetCount("s"));
        Assert.Equal([(1, "a")], await ReadAllAsync<int, string>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task AddIfNotExistInNonUniqueStore_RefusesExistingKeyWhileAddAcceptsIt(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s") { UniqueKeys = false });
        await CommitAsync<int, string>(engine, "s", s => s.Add(1, "a"));
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<int, string>("s");
            Assert.False(s.AddIfNotExist(1, "b"));
            Assert.Equal(1, s.Count);
            Assert.True(s.Add(1, "b"));
            Assert.Equal(2, s.Count);
            Assert.True(s.AddIfNotExist(2, "c"));
            Assert.Equal(3, s.Count);
            await tx.CommitAsync();
        }
        Assert.Equal(3, engine.GetCount("s"));
        Assert.Equal([(1, "a"), (1, "b"), (2, "c")], await ReadAllAsync<int, string>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File, true)]
    [InlineData(StoreKind.File, false)]
    [InlineData(StoreKind.Memory, true)]
    [InlineData(StoreKind.Memory, false)]
    public async Task Upsert_AddsMissingKeyAndReplacesExistingValue(StoreKind kind, bool valueInNode)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s") { ValueInNode = valueInNode });
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<int, string>("s");
            Assert.True(s.Upsert(1, "a"));
            Assert.Equal(1, s.Count);
            Assert.False(s.Upsert(1, "b"));
            Assert.Equal(1, s.Count);
            Assert.True(s.TryGetValue(1, out var v));
            Assert.Equal("b", v);
            await tx.CommitAsync();
        }
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<int, string>("s");
            Assert.False(s.Upsert(1, "c"));
            Assert.True(s.Upsert(2, "d"));
            Assert.Equal(2, s.Count);
            await tx.CommitAsync();
        }
        Assert.Equal(2, engine.GetCount("s"));
        Assert.Equal([(1, "c"), (2, "d")], await ReadAllAsync<int, string>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File, true)]
    [InlineData(StoreKind.File, false)]
    [InlineData(StoreKind.Memory, true)]
    [InlineData(StoreKind.Memory, false)]
    public async Task Update_MissingKeyReturnsFalseExistingKeyPersists(StoreKind kind, bool valueInNode)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s") { ValueInNode = valueInNode });
        await CommitAsync<int, string>(engine, "s", s => s.Add(1, "a"));
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<int, string>("s");
            Assert.False(s.Update(2, "x"));
            Assert.True(s.Update(1, "b"));
            Assert.Equal(1, s.Count);
            await tx.CommitAsync();
        }
        Assert.Equal(1, engine.GetCount("s"));
        Assert.Equal([(1, "b")], await ReadAllAsync<int, string>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task Remove_ExistingKeyGoneAfterCommitMissingKeyReturnsFalse(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s"));
        await CommitAsync<int, string>(engine, "s", s =>
        {
            s.Add(1, "a");
            s.Add(2, "b");
        });
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<int, string>("s");
            Assert.True(s.Remove(1));
            Assert.Equal(1, s.Count);
            Assert.False(s.Remove(1));
            Assert.False(s.Remove(3));
            Assert.False(s.Find(1));
            await tx.CommitAsync();
        }
        Assert.Equal(1, engine.GetCount("s"));
        await using (var tx = engine.Begin(TransactionMode.ForReading))
        {
            var s = tx.OpenStore<int, string>("s");
            Assert.False(s.Find(1));
            Assert.False(s.TryGetValue(1, out _));
            Assert.True(s.TryGetValue(2, out var v));
            Assert.Equal("b", v);
            await tx.CommitAsync();
        }
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task RemoveEveryItem_StoreEmptyAndReusable(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using (var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s") { SlotLength = 4 }))
        {
            await CommitAsync<int, string>(engine, "s", s =>
            {
                for (int i = 0; i < 200; i++) Assert.True(s.Add(i, $"v{i}"));
            });
            await CommitAsync<int, string>(engine, "s", s =>
            {
                for (int i = 199; i >= 0; i -= 2) Assert.True(s.Remove(i));
                for (int i = 0; i < 200; i += 2) Assert.True(s.Remove(i));
                Assert.Equal(0, s.Count);
                Assert.Equal(0, s.CheckInvariants());
            });
            Assert.Equal(0, engine.GetCount("s"));
            await using (var tx = engine.Begin(TransactionMode.ForReading))
            {
                var s = tx.OpenStore<int, string>("s");
                Assert.False(s.First());
                Assert.False(s.Last());
                Assert.Equal(0, s.Count);
                await tx.CommitAsync();
            }
            await CommitAsync<int, string>(engine, "s", s =>
            {
                Assert.True(s.Add(7, "again"));
                Assert.True(s.Add(3, "and again"));
            });
        }
        await using (var engine = await h.OpenAsync())
        {
            Assert.Equal(2, engine.GetCount("s"));
            Assert.Equal([(3, "and again"), (7, "again")], await ReadAllAsync<int, string>(engine, "s"));
        }
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task Count_IncludesOwnUncommittedChangesOnly(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await CommitAsync<int, int>(engine, "s", s =>
        {
            for (int i = 0; i < 10; i++) s.Add(i, i);
        });
        await using var tx = engine.Begin();
        var s = tx.OpenStore<int, int>("s");
        s.Add(100, 1);
        s.Add(101, 1);
        s.Remove(0);
        s.Update(1, 5);
        s.Upsert(2, 5);
        s.Upsert(102, 5);
        Assert.Equal(12, s.Count);
        Assert.Equal(10, engine.GetCount("s"));
        await tx.CommitAsync();
        Assert.Equal(12, engine.GetCount("s"));
    }
}
