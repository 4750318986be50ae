using Sop.Tests.Support;
using Sop.Transactions;
using static Sop.Tests.Behaviour.BehaviourSupport;

namespace Sop.Tests.Behaviour;

/// <summary>Many items in small nodes: splits, deletes, and full walks in both directions (sop-reference §10 scenarios 8, 9).</summary>
/// <remarks>
/// Memory only: on disk these write thousands of node blob files and take seconds; the disk path of splits and deletes
/// is covered by the smaller File cases of the other behaviour tests.
/// </remarks>
public sealed class TreeScaleTests
{
    [Theory]
    [InlineData(StoreKind.Memory)]
    public async Task TenThousandAscendingKeysInSlotLength8_CursorWalksThemInOrderBothWays(StoreKind kind)
    {
        const int n = 10_000;
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s") { SlotLength = 8 });
        await CommitAsync<int, int>(engine, "s", s =>
        {
            for (int i = 0; i < n; i++) Assert.True(s.Add(i, -i));
        });
        Assert.Equal(n, engine.GetCount("s"));

        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<int, int>("s");
        Assert.Equal(n, s.CheckInvariants());
        int expected = 0;
        for (bool ok = s.First(); ok; ok = s.Next())
        {
            Assert.Equal(expected, s.CurrentKey);
            expected++;
        }
        Assert.Equal(n, expected);
        for (bool ok = s.Last(); ok; ok = s.Previous())
        {
            expected--;
            Assert.Equal(expected, s.CurrentKey);
        }
        Assert.Equal(0, expected);
        Assert.True(s.Find(4321));
        Assert.Equal(-4321, s.CurrentValue);
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    public async Task FiveThousandRandomKeysWithEverySecondDeleted_RemainingIterateSorted(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        var random = new Random(1234);
        var keys = new HashSet<int>();
        while (keys.Count < 5_000) keys.Add(random.Next());
        var inserted = keys.ToList();
        var removed = inserted.Where((_, i) => i % 2 == 1).ToList();
        var remaining = inserted.Where((_, i) => i % 2 == 0).Order().ToList();

        await using (var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s") { SlotLength = 8 }))
        {
            await CommitAsync<int, string>(engine, "s", s =>
            {
                foreach (int k in inserted) Assert.True(s.Add(k, k.ToString()));
            });
            await CommitAsync<int, string>(engine, "s", s =>
            {
                foreach (int k in removed) Assert.True(s.Remove(k));
            });
            Assert.Equal(2_500, engine.GetCount("s"));
        }
        await using (var engine = await h.OpenAsync())
        {
            Assert.Equal(2_500, engine.GetCount("s"));
            var all = await ReadAllAsync<int, string>(engine, "s");
            Assert.Equal(remaining, all.Select(x => x.Key));
            Assert.All(all, x => Assert.Equal(x.Key.ToString(), x.Value));
        }
    }
}
