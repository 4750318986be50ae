using Sop.Ids;
using Sop.Tests.Support;
using Sop.Transactions;
using Sop.Trees;
using static Sop.Tests.Behaviour.BehaviourSupport;

namespace Sop.Tests.Behaviour;

/// <summary>Range scans as IAsyncEnumerable: half-open [from, to), open ends, descending, paging with <c>after</c>.</summary>
public sealed class RangeScanTests
{
    private static async Task<SopEngine> TensAsync(EngineHarness h)
    {
        var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s") { SlotLength = 4 });
        await CommitAsync<int, string>(engine, "s", s =>
        {
            for (int k = 10; k <= 100; k += 10) s.Add(k, $"v{k}");
        });
        return engine;
    }

    private static async Task<List<int>> KeysAsync(BTree<int, string> s, KeyRange<int> range, bool descending = false)
    {
        var keys = new List<int>();
        await foreach (var item in s.ScanAsync(range, descending))
        {
            Assert.Equal($"v{item.Key}", item.Value);
            keys.Add(item.Key);
        }
        return keys;
    }

    public static TheoryData<StoreKind, int?, int?, bool, int[]> Ranges => new()
    {
        { StoreKind.Memory, 35, 75, false, [40, 50, 60, 70] },
        { StoreKind.Memory, 30, 70, false, [30, 40, 50, 60] },
        { StoreKind.Memory, 30, 70, true, [60, 50, 40, 30] },
        { StoreKind.Memory, 35, 75, true, [70, 60, 50, 40] },
        { StoreKind.Memory, null, 30, false, [10, 20] },
        { StoreKind.Memory, null, 30, true, [20, 10] },
        { StoreKind.Memory, 90, null, false, [90, 100] },
        { StoreKind.Memory, 90, null, true, [100, 90] },
        { StoreKind.Memory, null, null, true, [100, 90, 80, 70, 60, 50, 40, 30, 20, 10] },
        { StoreKind.Memory, 50, 50, false, [] },
        { StoreKind.Memory, 50, 50, true, [] },
        { StoreKind.Memory, 51, 59, false, [] },
        { StoreKind.Memory, 70, 40, false, [] },
        { StoreKind.Memory, 70, 40, true, [] },
        { StoreKind.Memory, 101, null, false, [] },
        { StoreKind.Memory, null, 10, true, [] },
        { StoreKind.Memory, -5, 1000, false, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] },
        { StoreKind.File, 35, 75, false, [40, 50, 60, 70] },
        { StoreKind.File, 30, 70, false, [30, 40, 50, 60] },
        { StoreKind.File, 30, 70, true, [60, 50, 40, 30] },
        { StoreKind.File, null, 30, true, [20, 10] },
        { StoreKind.File, 90, null, true, [100, 90] },
        { StoreKind.File, 50, 50, true, [] },
        { StoreKind.File, 70, 40, true, [] },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task ScanOfRange_YieldsHalfOpenIntervalInRequestedOrder(StoreKind kind, int? from, int? to, bool descending, int[] expected)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await TensAsync(h);
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<int, string>("s");
        var range = new KeyRange<int> { From = from ?? 0, HasFrom = from.HasValue, To = to ?? 0, HasTo = to.HasValue };
        Assert.Equal(expected, await KeysAsync(s, range, descending));
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task FactoryRanges_MatchTheirDocumentedBounds(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await TensAsync(h);
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<int, string>("s");
        Assert.Equal([20, 30], await KeysAsync(s, KeyRange<int>.Between(20, 40)));
        Assert.Equal([80, 90, 100], await KeysAsync(s, KeyRange<int>.AtLeast(80)));
        Assert.Equal([10, 20], await KeysAsync(s, KeyRange<int>.Below(30)));
        Assert.Equal(10, (await KeysAsync(s, KeyRange<int>.All)).Count);
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    public async Task LargeScanOverManyBatches_MatchesModelForRandomRanges(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("big") { SlotLength = 5, UniqueKeys = false });
        var random = new Random(77);
        var model = new List<(int Key, int Value)>();
        await CommitAsync<int, int>(engine, "big", s =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                int k = random.Next(600);
                s.Add(k, i);
                model.Add((k, i));
            }
        });
        var sorted = model.OrderBy(x => x.Key).ThenBy(x => x.Value).ToList(); // values grow with insertion order

        await using var tx = engine.Begin(TransactionMode.ForReading);
        var big = tx.OpenStore<int, int>("big");
        var all = new List<(int, int)>();
        await foreach (var item in big.ScanAsync()) all.Add((item.Key, item.Value));
        Assert.Equal(sorted, all);

        for (int round = 0; round < 20; round++)
        {
            int from = random.Next(-10, 620), to = random.Next(-10, 620);
            bool descending = round % 2 == 1;
            var expected = sorted.Where(x => x.Key >= from && x.Key < to).ToList();
            if (descending) expected.Reverse();
            var actual = new List<(int, int)>();
            await foreach (var item in big.ScanAsync(KeyRange<int>.Between(from, to), descending)) actual.Add((item.Key, item.Value));
            Assert.Equal(expected, actual);
        }
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ScanWithAfter_ContinuesStrictlyAfterThePreviousPageEvenInsideDuplicates(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("p") { SlotLength = 4, UniqueKeys = false });
        await CommitAsync<int, int>(engine, "p", s =>
        {
            for (int i = 0; i < 60; i++) s.Add(i / 10, i); // ten duplicates per key
        });
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var p = tx.OpenStore<int, int>("p");
        foreach (bool descending in new[] { false, true })
        {
            var pages = new List<int>();
            (int Key, ItemId Id)? after = null;
            while (true)
            {
                var page = new List<ScanItem<int, int>>();
                await foreach (var item in p.ScanAsync(KeyRange<int>.Between(1, 5), descending, after: after))
                {
                    page.Add(item);
                    if (page.Count == 7) break;
                }
                if (page.Count == 0) break;
                pages.AddRange(page.Select(x => x.Value));
                after = (page[^1].Key, page[^1].ItemId);
            }
            var expected = Enumerable.Range(10, 40).ToList();
            if (descending) expected.Reverse();
            Assert.Equal(expected, pages);
        }
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ScanInWritingTransaction_SeesOwnUncommittedChanges(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await TensAsync(h);
        await using var tx = engine.Begin();
        var s = tx.OpenStore<int, string>("s");
        s.Add(45, "v45");
        s.Remove(50);
        Assert.Equal([40, 45, 60], await KeysAsync(s, KeyRange<int>.Between(40, 70)));
        Assert.Equal([60, 45, 40], await KeysAsync(s, KeyRange<int>.Between(40, 70), descending: true));
        await tx.RollbackAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task ScanCancellation_StopsTheEnumeration(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("c") { SlotLength = 16 });
        await CommitAsync<int, int>(engine, "c", s =>
        {
            for (int i = 0; i < 1_000; i++) s.Add(i, i);
        });
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var c = tx.OpenStore<int, int>("c");
        using var cts = new CancellationTokenSource();
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in c.ScanAsync().WithCancellation(cts.Token))
            {
                if (++seen == 10) await cts.CancelAsync();
            }
        });
        Assert.True(seen < 1_000);
        await tx.CommitAsync();
    }
}
