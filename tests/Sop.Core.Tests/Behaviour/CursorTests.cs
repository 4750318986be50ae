using Sop.Tests.Support;
using Sop.Transactions;
using Sop.Trees;
using static Sop.Tests.Behaviour.BehaviourSupport;

namespace Sop.Tests.Behaviour;

/// <summary>The cursor: Find positioning, First/Last/Next/Previous, CurrentKey/CurrentValue (sop-reference §10 scenarios 18, 19, 21 adapted).</summary>
public sealed class CursorTests
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

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task FindMissingKey_ReturnsFalseAndParksOnNextGreaterKey(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await TensAsync(h);
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<int, string>("s");
        Assert.False(s.Find(35));
        Assert.Equal(40, s.CurrentKey);
        Assert.Equal("v40", s.CurrentValue);

        // lower bound found by Find, then Next while the key is below the upper bound
        var visited = new List<int>();
        for (bool ok = true; ok && s.CurrentKey <= 75; ok = s.Next()) visited.Add(s.CurrentKey);
        Assert.Equal([40, 50, 60, 70], visited);

        Assert.False(s.Find(5));
        Assert.Equal(10, s.CurrentKey);
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    public async Task FindInEveryGapOfManyLeaves_ParksOnNextGreaterKeyAcrossLeafEdges(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("g") { SlotLength = 4 });
        await CommitAsync<int, int>(engine, "g", s =>
        {
            for (int k = 0; k < 400; k += 2) s.Add(k, k);
        });
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var g = tx.OpenStore<int, int>("g");
        for (int k = -1; k < 399; k += 2)
        {
            Assert.False(g.Find(k));
            Assert.Equal(k + 1, g.CurrentKey);
            Assert.True(g.Find(k + 1));
            Assert.Equal(k + 1, g.CurrentValue);
        }
        Assert.False(g.Find(399));
        Assert.Throws<InvalidOperationException>(() => g.CurrentKey);
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task FindExistingKey_ReturnsTrueAndCursorOnIt(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await TensAsync(h);
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<int, string>("s");
        Assert.True(s.Find(60));
        Assert.Equal(60, s.CurrentKey);
        Assert.Equal("v60", s.CurrentValue);
        Assert.True(s.Previous());
        Assert.Equal(50, s.CurrentKey);
        Assert.True(s.Next());
        Assert.True(s.Next());
        Assert.Equal(70, s.CurrentKey);
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task FindBeyondLastKey_ReturnsFalseAndLeavesNoCurrentItem(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await TensAsync(h);
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<int, string>("s");
        Assert.False(s.Find(101));
        Assert.Throws<InvalidOperationException>(() => s.CurrentKey);
        Assert.Throws<InvalidOperationException>(() => s.CurrentValue);
        Assert.False(s.Next());
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task RunningOffEitherEnd_ReturnsFalseAndClearsTheCursor(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await TensAsync(h);
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<int, string>("s");

        Assert.True(s.Last());
        Assert.Equal(100, s.CurrentKey);
        Assert.False(s.Next());
        Assert.Throws<InvalidOperationException>(() => s.CurrentKey);
        Assert.Throws<InvalidOperationException>(() => s.CurrentItemId);
        Assert.False(s.Next());
        Assert.False(s.Previous());

        Assert.True(s.First());
        Assert.Equal(10, s.CurrentKey);
        Assert.False(s.Previous());
        Assert.Throws<InvalidOperationException>(() => s.CurrentValue);
        Assert.False(s.Previous());
        Assert.False(s.Next());

        // a new positioning works again
        Assert.True(s.First());
        Assert.Equal("v10", s.CurrentValue);
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task CursorBeforeAnyPositioning_HasNoCurrentItem(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await TensAsync(h);
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<int, string>("s");
        Assert.Throws<InvalidOperationException>(() => s.CurrentKey);
        Assert.False(s.Next());
        Assert.False(s.Previous());
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task CursorInWritingTransaction_SeesOwnUncommittedChanges(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await TensAsync(h);
        await using var tx = engine.Begin();
        var s = tx.OpenStore<int, string>("s");
        s.Add(35, "new");
        s.Remove(40);
        s.Update(50, "changed");
        Assert.True(s.Find(35));
        Assert.Equal("new", s.CurrentValue);
        Assert.True(s.Next());
        Assert.Equal(50, s.CurrentKey);
        Assert.Equal("changed", s.CurrentValue);
        Assert.True(s.Previous());
        Assert.True(s.Previous());
        Assert.Equal(30, s.CurrentKey);
        await tx.RollbackAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task RemoveAtCursor_ClearsTheCursor(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await TensAsync(h);
        await using var tx = engine.Begin();
        var s = tx.OpenStore<int, string>("s");
        Assert.True(s.Find(50));
        Assert.True(s.Remove(50));
        Assert.Throws<InvalidOperationException>(() => s.CurrentKey);
        Assert.False(s.Next());
        await tx.RollbackAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task InterleavedScansAndCursor_KeepIndependentPositions(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await TensAsync(h);
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<int, string>("s");
        Assert.Same(s, tx.OpenStore<int, string>("s"));

        await using var up = s.ScanAsync().GetAsyncEnumerator();
        await using var down = s.ScanAsync(descending: true).GetAsyncEnumerator();
        Assert.True(s.Find(50));
        var ups = new List<int>();
        var downs = new List<int>();
        for (int i = 0; i < 10; i++)
        {
            Assert.True(await up.MoveNextAsync());
            ups.Add(up.Current.Key);
            Assert.True(await down.MoveNextAsync());
            downs.Add(down.Current.Key);
            Assert.Equal(50, s.CurrentKey);
        }
        Assert.False(await up.MoveNextAsync());
        Assert.False(await down.MoveNextAsync());
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10), ups);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10).Reverse(), downs);
        Assert.True(s.Next());
        Assert.Equal(60, s.CurrentKey);
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task StringKeys_FollowUtf8ByteOrderNotUtf16Order(StoreKind kind)
    {
        // U+FFFF is EF BF BF in UTF-8, U+1F600 is F0 9F 98 80; in UTF-16 the surrogate D83D sorts before FFFF.
        string[] expected = ["", "A", "Z", "a", "z", "\u00e9", "\u20ac", "\uE000", "\uFFFF", "\U0001F600", "\U0001F600a"];
        Assert.True(string.CompareOrdinal("\uFFFF", "\U0001F600") > 0);

        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<string, int>(h, new StoreOptions("u") { SlotLength = 4 });
        Assert.Equal("utf8", engine.TryGetStoreInfo("u")!.KeyComparer);
        await CommitAsync<string, int>(engine, "u", s =>
        {
            foreach (string k in expected.Reverse()) Assert.True(s.Add(k, k.Length));
        });
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var u = tx.OpenStore<string, int>("u");
        Assert.Equal(expected, u.Scan().Select(x => x.Key));
        Assert.True(u.Find("\uFFFF"));
        Assert.True(u.Next());
        Assert.Equal("\U0001F600", u.CurrentKey);
        var between = new List<string>();
        await foreach (var item in u.ScanAsync(KeyRange<string>.Between("\uFFFF", "\U0001F600a"))) between.Add(item.Key);
        Assert.Equal(["\uFFFF", "\U0001F600"], between);
        await tx.CommitAsync();
    }
}
