using Sop.Ids;
using Sop.Tests.Support;
using Sop.Transactions;
using Sop.Trees;
using static Sop.Tests.Behaviour.BehaviourSupport;

namespace Sop.Tests.Behaviour;

/// <summary>
/// Non-unique stores: equal keys keep insertion order, Find lands on the first of them, descending is the exact
/// reverse, Remove/Update act on the first (sop-reference §10 scenarios 15-17, adapted to the engine's rules).
/// </summary>
public sealed class DuplicateKeysTests
{
    private static StoreOptions NonUnique(int slotLength = 4) => new("d") { UniqueKeys = false, SlotLength = slotLength };

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ThreeDuplicates_FindLandsOnFirstAndNextVisitsAllInInsertionOrder(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, NonUnique());
        await CommitAsync<int, string>(engine, "d", s =>
        {
            s.Add(1, "before");
            s.Add(5, "a");
            s.Add(5, "b");
            s.Add(9, "after");
            s.Add(5, "c");
        });
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var d = tx.OpenStore<int, string>("d");
        Assert.True(d.Find(5));
        Assert.Equal("a", d.CurrentValue);
        Assert.True(d.Next());
        Assert.Equal(5, d.CurrentKey);
        Assert.Equal("b", d.CurrentValue);
        Assert.True(d.Next());
        Assert.Equal("c", d.CurrentValue);
        Assert.True(d.Next());
        Assert.Equal(9, d.CurrentKey);
        Assert.True(d.TryGetValue(5, out var first));
        Assert.Equal("a", first);
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task DuplicatesAddedInSeparateCommits_KeepInsertionOrder(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<string, int>(h, NonUnique());
        for (int i = 0; i < 8; i++)
        {
            int v = i;
            await CommitAsync<string, int>(engine, "d", s =>
            {
                s.Add("k", v);
                s.Add($"x{v:D2}", v);
            });
        }
        var all = await ReadAllAsync<string, int>(engine, "d");
        Assert.Equal(Enumerable.Range(0, 8), all.Where(x => x.Key == "k").Select(x => x.Value));
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    public async Task ManyDuplicatesAcrossNodes_DescendingScanIsExactReverseOfAscending(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, NonUnique());
        await CommitAsync<int, int>(engine, "d", s =>
        {
            // 300 items over three keys, interleaved, so equal keys span several nodes of 4 slots
            for (int i = 0; i < 300; i++) s.Add(i % 3, i);
        });
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var d = tx.OpenStore<int, int>("d");
        var ascending = d.Scan().Select(x => (x.Key, x.ItemId, x.Value)).ToList();
        var descending = d.Scan(descending: true).Select(x => (x.Key, x.ItemId, x.Value)).ToList();
        Assert.Equal(300, ascending.Count);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => 3 * i + 1), ascending.Where(x => x.Key == 1).Select(x => x.Value));
        Assert.Equal(ascending.AsEnumerable().Reverse(), descending);

        var onlyOnes = new List<int>();
        await foreach (var item in d.ScanAsync(KeyRange<int>.Between(1, 2), descending: true)) onlyOnes.Add(item.Value);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => 3 * i + 1).Reverse(), onlyOnes);

        // Find lands on the first duplicate even when equal keys span several nodes
        for (int k = 0; k < 3; k++)
        {
            Assert.True(d.Find(k));
            Assert.Equal(k, d.CurrentValue);
            Assert.True(d.Previous() == (k > 0));
            if (k > 0) Assert.Equal(k - 1, d.CurrentKey);
        }

        // Last + Previous walks the duplicates backwards as well
        var backwards = new List<int>();
        for (bool ok = d.Last(); ok; ok = d.Previous()) backwards.Add(d.CurrentValue);
        Assert.Equal(descending.Select(x => x.Value), backwards);
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task RemoveKeyWithThreeDuplicates_RemovesExactlyTheFirst(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, NonUnique());
        await CommitAsync<int, string>(engine, "d", s =>
        {
            s.Add(5, "a");
            s.Add(5, "b");
            s.Add(5, "c");
        });
        await CommitAsync<int, string>(engine, "d", s =>
        {
            Assert.True(s.Remove(5));
            Assert.Equal(2, s.Count);
        });
        Assert.Equal(2, engine.GetCount("d"));
        Assert.Equal([(5, "b"), (5, "c")], await ReadAllAsync<int, string>(engine, "d"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task RemoveWithItemId_RemovesThatDuplicateOnly(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, NonUnique());
        await CommitAsync<int, string>(engine, "d", s =>
        {
            s.Add(5, "a");
            s.Add(5, "b");
            s.Add(5, "c");
        });
        await using (var tx = engine.Begin())
        {
            var d = tx.OpenStore<int, string>("d");
            ItemId idOfB = d.Scan().Single(x => x.Value == "b").ItemId;
            Assert.True(d.Remove(5, idOfB));
            Assert.False(d.Remove(5, idOfB));
            Assert.False(d.Remove(6, idOfB));
            await tx.CommitAsync();
        }
        Assert.Equal([(5, "a"), (5, "c")], await ReadAllAsync<int, string>(engine, "d"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task UpdateAndUpsertOfDuplicatedKey_ChangeTheFirstOnly(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, NonUnique());
        await CommitAsync<int, string>(engine, "d", s =>
        {
            s.Add(5, "a");
            s.Add(5, "b");
        });
        await CommitAsync<int, string>(engine, "d", s =>
        {
            Assert.True(s.Update(5, "A"));
            Assert.False(s.Upsert(5, "AA"));
            Assert.Equal(2, s.Count);
        });
        Assert.Equal([(5, "AA"), (5, "b")], await ReadAllAsync<int, string>(engine, "d"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ItemIds_TellDuplicatesApartAndStayStableAcrossCommits(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, NonUnique());
        List<ItemId> before;
        await using (var tx = engine.Begin())
        {
            var d = tx.OpenStore<int, string>("d");
            d.Add(5, "a");
            d.Add(5, "b");
            before = d.Scan().Select(x => x.ItemId).ToList();
            Assert.True(d.Find(5));
            Assert.Equal(before[0], d.CurrentItemId);
            Assert.True(d.Next());
            Assert.Equal(before[1], d.CurrentItemId);
            await tx.CommitAsync();
        }
        Assert.Equal(2, before.Distinct().Count());
        await using (var tx = engine.Begin(TransactionMode.ForReading))
        {
            Assert.Equal(before, tx.OpenStore<int, string>("d").Scan().Select(x => x.ItemId));
            await tx.CommitAsync();
        }
    }
}
