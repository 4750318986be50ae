using Microsoft.Extensions.Time.Testing;
using Sop.Errors;
using Sop.Tests.Support;
using Sop.Transactions;
using static Sop.Tests.Behaviour.BehaviourSupport;

namespace Sop.Tests.Behaviour;

/// <summary>
/// Begin/Commit/Rollback/await using, read-only modes, maxTime, and use after the end
/// (sop-reference §10 scenarios 22-25, with decisions.md 30: a second Commit throws).
/// </summary>
public sealed class TransactionLifecycleTests
{
    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task Rollback_LeavesNoTraceInStoreOrFolder(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, string>(h, new StoreOptions("s") { SlotLength = 4 });
        await CommitAsync<int, string>(engine, "s", s =>
        {
            for (int i = 0; i < 20; i++) s.Add(i, $"v{i}");
        });
        var before = Snapshot(h.FileSystem, h.DataPath);

        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<int, string>("s");
            for (int i = 100; i < 200; i++) s.Add(i, new string('x', i % 3 == 0 ? 6_000 : 10));
            s.Remove(3);
            s.Update(4, "changed");
            Assert.Equal(119, s.Count);
            await tx.RollbackAsync();
            Assert.False(tx.IsActive);
        }

        AssertSameSnapshot(before, Snapshot(h.FileSystem, h.DataPath));
        Assert.Equal(20, engine.GetCount("s"));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (i, (string?)$"v{i}")), await ReadAllAsync<int, string>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task DisposeWithoutCommit_RollsBack(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        Transaction leaked;
        await using (var tx = engine.Begin())
        {
            leaked = tx;
            tx.OpenStore<int, int>("s").Add(1, 1);
        }
        Assert.False(leaked.IsActive);
        await Assert.ThrowsAsync<TransactionEndedException>(async () => await leaked.CommitAsync());
        Assert.Equal(0, engine.GetCount("s"));
        Assert.Empty(await ReadAllAsync<int, int>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task DisposeAfterCommit_IsHarmless(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        var tx = engine.Begin();
        tx.OpenStore<int, int>("s").Add(1, 1);
        await tx.CommitAsync();
        await tx.DisposeAsync();
        await tx.DisposeAsync();
        Assert.Equal(1, engine.GetCount("s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task SecondCommit_ThrowsTransactionEndedAndChangesNothing(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await using var tx = engine.Begin();
        tx.OpenStore<int, int>("s").Add(1, 1);
        await tx.CommitAsync();
        Assert.False(tx.IsActive);
        var e = await Assert.ThrowsAsync<TransactionEndedException>(async () => await tx.CommitAsync());
        Assert.Contains("committed", e.Message);
        Assert.Equal(1, engine.GetCount("s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task RollbackAfterCommitOrSecondRollback_ThrowsTransactionEnded(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await using (var tx = engine.Begin())
        {
            tx.OpenStore<int, int>("s").Add(1, 1);
            await tx.CommitAsync();
            await Assert.ThrowsAsync<TransactionEndedException>(async () => await tx.RollbackAsync());
        }
        await using (var tx = engine.Begin())
        {
            tx.OpenStore<int, int>("s").Add(2, 2);
            await tx.RollbackAsync();
            var e = await Assert.ThrowsAsync<TransactionEndedException>(async () => await tx.RollbackAsync());
            Assert.Contains("rolled back", e.Message);
            await Assert.ThrowsAsync<TransactionEndedException>(async () => await tx.CommitAsync());
        }
        Assert.Equal(1, engine.GetCount("s"));
    }

    public static TheoryData<StoreKind, bool, string> UsesAfterEnd()
    {
        var data = new TheoryData<StoreKind, bool, string>();
        foreach (bool committed in new[] { true, false })
        {
            foreach (string op in Operations.Keys) data.Add(StoreKind.Memory, committed, op);
            foreach (string op in new[] { "Add", "Find", "ScanAsync", "Commit" }) data.Add(StoreKind.File, committed, op);
        }
        return data;
    }

    private static readonly Dictionary<string, Func<Transaction, BTree<int, int>, Task>> Operations = new()
    {
        ["OpenStore"] = (tx, s) => Task.FromResult(tx.OpenStore<int, int>("s")),
        ["Add"] = (t, s) => Task.FromResult(s.Add(9, 9)),
        ["AddIfNotExist"] = (t, s) => Task.FromResult(s.AddIfNotExist(9, 9)),
        ["Update"] = (t, s) => Task.FromResult(s.Update(1, 9)),
        ["Upsert"] = (t, s) => Task.FromResult(s.Upsert(1, 9)),
        ["Remove"] = (t, s) => Task.FromResult(s.Remove(1)),
        ["Find"] = (t, s) => Task.FromResult(s.Find(1)),
        ["TryGetValue"] = (t, s) => Task.FromResult(s.TryGetValue(1, out _)),
        ["First"] = (t, s) => Task.FromResult(s.First()),
        ["Last"] = (t, s) => Task.FromResult(s.Last()),
        ["NextFromValidCursor"] = (t, s) => Task.FromResult(s.Next()),
        ["PreviousFromValidCursor"] = (t, s) => Task.FromResult(s.Previous()),
        ["CurrentValue"] = (t, s) => Task.FromResult(s.CurrentValue),
        ["Scan"] = (t, s) => Task.FromResult(s.Scan().ToList()),
        ["ScanAsync"] = async (t, s) =>
        {
            await foreach (var _ in s.ScanAsync())
            {
            }
        },
        ["Commit"] = async (tx, s) => await tx.CommitAsync(),
        ["Rollback"] = async (tx, s) => await tx.RollbackAsync(),
    };

    [Theory]
    [MemberData(nameof(UsesAfterEnd))]
    public async Task UseAfterEnd_ThrowsTransactionEnded(StoreKind kind, bool committed, string operation)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await CommitAsync<int, int>(engine, "s", s =>
        {
            s.Add(1, 1);
            s.Add(2, 2);
        });
        var tx = engine.Begin();
        var s = tx.OpenStore<int, int>("s");
        Assert.True(s.Find(1)); // the cursor is on an item
        s.Add(3, 3);
        Assert.True(s.Find(2));
        if (committed) await tx.CommitAsync();
        else await tx.RollbackAsync();

        await Assert.ThrowsAsync<TransactionEndedException>(() => Operations[operation](tx, s));
        Assert.Equal(committed ? 3 : 2, engine.GetCount("s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task CursorStepWithoutCurrentItemAfterCommit_ThrowsTransactionEnded(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        var tx = engine.Begin();
        var s = tx.OpenStore<int, int>("s");
        await tx.CommitAsync();
        Assert.Throws<TransactionEndedException>(() => s.Next());
        Assert.Throws<TransactionEndedException>(() => s.Previous());
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task CountAfterCommit_ThrowsTransactionEnded(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        var tx = engine.Begin();
        var s = tx.OpenStore<int, int>("s");
        s.Add(1, 1);
        await tx.CommitAsync();
        Assert.Throws<TransactionEndedException>(() => s.Count);
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task CurrentKeyAfterCommit_ThrowsTransactionEnded(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        var tx = engine.Begin();
        var s = tx.OpenStore<int, int>("s");
        s.Add(1, 1);
        Assert.True(s.Find(1));
        await tx.CommitAsync();
        Assert.Throws<TransactionEndedException>(() => s.CurrentKey);
        Assert.Throws<TransactionEndedException>(() => s.CurrentItemId);
    }

    [Theory]
    [InlineData(StoreKind.File, TransactionMode.ForReading)]
    [InlineData(StoreKind.File, TransactionMode.NoCheck)]
    [InlineData(StoreKind.Memory, TransactionMode.ForReading)]
    [InlineData(StoreKind.Memory, TransactionMode.NoCheck)]
    public async Task WriteInReadOnlyTransaction_ThrowsReadOnlyAndEndsTheTransaction(StoreKind kind, TransactionMode mode)
    {
        var writes = new Func<BTree<int, int>, bool>[]
        {
            s => s.Add(5, 5), s => s.AddIfNotExist(5, 5), s => s.Update(1, 5), s => s.Upsert(1, 5), s => s.Remove(1), s => s.Remove(1, s.CurrentItemId),
        };
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await CommitAsync<int, int>(engine, "s", s => s.Add(1, 1));
        var before = Snapshot(h.FileSystem, h.DataPath);
        foreach (var write in writes)
        {
            await using var tx = engine.Begin(mode);
            Assert.Equal(mode, tx.Mode);
            var s = tx.OpenStore<int, int>("s");
            Assert.True(s.Find(1)); // reads are fine
            var e = Assert.Throws<ReadOnlyTransactionException>(() => write(s));
            Assert.Contains(mode.ToString(), e.Message);
            Assert.False(tx.IsActive);
            Assert.Throws<TransactionEndedException>(() => s.Find(1));
            await Assert.ThrowsAsync<TransactionEndedException>(async () => await tx.CommitAsync());
        }
        AssertSameSnapshot(before, Snapshot(h.FileSystem, h.DataPath));
        Assert.Equal(1, engine.GetCount("s"));
    }

    [Theory]
    [InlineData(StoreKind.File, TransactionMode.ForReading)]
    [InlineData(StoreKind.File, TransactionMode.NoCheck)]
    [InlineData(StoreKind.Memory, TransactionMode.ForReading)]
    [InlineData(StoreKind.Memory, TransactionMode.NoCheck)]
    public async Task ReadOnlyTransaction_ReadsAndCommits(StoreKind kind, TransactionMode mode)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await CommitAsync<int, int>(engine, "s", s => s.Add(1, 10));
        await using var tx = engine.Begin(mode);
        var s = tx.OpenStore<int, int>("s");
        Assert.True(s.TryGetValue(1, out int v));
        Assert.Equal(10, v);
        Assert.Single(s.Scan());
        await tx.CommitAsync();
        Assert.False(tx.IsActive);
    }

    [Fact]
    public async Task UnknownMode_ThrowsInvalidArgument()
    {
        using var h = new EngineHarness(StoreKind.Memory);
        await using var engine = await h.OpenAsync();
        Assert.Throws<InvalidArgumentException>(() => engine.Begin((TransactionMode)7));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task TransactionPastMaxTime_ThrowsTimeoutRollsBackAndEnds(StoreKind kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync(o => o.Time = time);
        await engine.CreateStoreAsync<int, int>(new StoreOptions("s"));
        var tx = engine.Begin(maxTime: TimeSpan.FromSeconds(5));
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(5), tx.Deadline);
        var s = tx.OpenStore<int, int>("s");
        s.Add(1, 1);
        time.Advance(TimeSpan.FromSeconds(4));
        s.Add(2, 2);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Throws<TransactionTimeoutException>(() => s.Add(3, 3));
        Assert.False(tx.IsActive);
        await Assert.ThrowsAsync<TransactionEndedException>(async () => await tx.CommitAsync());
        Assert.Equal(0, engine.GetCount("s"));

        // the default maxTime comes from the options
        var tx2 = engine.Begin();
        Assert.Equal(time.GetUtcNow() + SopDefaults.TransactionMaxTime, tx2.Deadline);
        tx2.OpenStore<int, int>("s").Add(1, 1);
        time.Advance(SopDefaults.TransactionMaxTime + TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<TransactionTimeoutException>(async () => await tx2.CommitAsync());
        Assert.False(tx2.IsActive);
        Assert.Equal(0, engine.GetCount("s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task BeginAfterEngineDispose_ThrowsObjectDisposed(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        var engine = await h.OpenAsync();
        await engine.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => engine.Begin());
        Assert.Throws<ObjectDisposedException>(() => engine.ListStores());
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task EmptyWritingTransaction_CommitsWithoutWritingAnything(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<int, int>(h, new StoreOptions("s"));
        await CommitAsync<int, int>(engine, "s", s => s.Add(1, 1));
        var before = Snapshot(h.FileSystem, h.DataPath);
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<int, int>("s");
            Assert.False(s.Add(1, 2));
            Assert.False(s.Update(5, 5));
            Assert.False(s.Remove(5));
            await tx.CommitAsync();
        }
        AssertSameSnapshot(before, Snapshot(h.FileSystem, h.DataPath));
    }
}
