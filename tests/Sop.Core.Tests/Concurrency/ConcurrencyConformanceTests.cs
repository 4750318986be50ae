using Sop.Errors;
using Sop.Transactions;

namespace Sop.Tests.Concurrency;

/// <summary>
/// The concurrency suite every coordinator runs (file locks here; Redis runs the same class): many writers on one
/// store commit without a master, merge disjoint changes, serialize same-key fights and stay serializable.
/// </summary>
public abstract class ConcurrencyConformanceTests : IAsyncLifetime
{
    /// <summary>Opens another engine on the suite's folder (each call a separate instance with its own caches).</summary>
    protected abstract Task<SopEngine> OpenEngineAsync();

    private readonly List<SopEngine> _engines = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var e in _engines) await e.DisposeAsync();
    }

    private async Task<SopEngine> EngineAsync()
    {
        var e = await OpenEngineAsync();
        _engines.Add(e);
        return e;
    }

    /// <summary>Runs a transaction body until it commits; conflicts are retried (the caller's job per the contract).</summary>
    protected static async Task<int> RunWithRetryAsync(SopEngine engine, Func<Transaction, bool> body, TransactionMode mode = TransactionMode.ForWriting)
    {
        for (int attempt = 1; ; attempt++)
        {
            await using var tx = engine.Begin(mode);
            try
            {
                // a conflict may surface from an operation (what the transaction read no longer holds) or from the commit
                if (!body(tx)) return attempt;
                await tx.CommitAsync();
                return attempt;
            }
            catch (TransactionConflictException) when (attempt < 200)
            {
            }
        }
    }

    [Fact]
    public async Task EightThreads_DistinctKeysIntoSmallNodes_AllCommitWithoutUserVisibleAborts()
    {
        var engine = await EngineAsync();
        await engine.CreateStoreAsync<string, int>(new StoreOptions("d") { SlotLength = 8 });
        const int threads = 8, perThread = 500;
        var aborts = 0;
        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            var rng = new Random(t);
            for (int i = 0; i < perThread; i++)
            {
                await using var tx = engine.Begin();
                tx.OpenStore<string, int>("d").Add($"{rng.Next(1000):D3}-{t}-{i:D4}", i);
                try
                {
                    await tx.CommitAsync();
                }
                catch (TransactionConflictException)
                {
                    Interlocked.Increment(ref aborts);
                }
            }
        })));
        Assert.Equal(0, aborts);
        await using var check = engine.Begin(TransactionMode.ForReading);
        var s = check.OpenStore<string, int>("d");
        Assert.Equal(threads * perThread, s.CheckInvariants());
        Assert.Equal(threads * perThread, s.Scan(keysOnly: true).Count());
        Assert.Equal(threads * perThread, engine.GetCount("d"));
    }

    [Fact]
    public async Task EmptyStoreRace_TwoFirstCommits_BothCommit_200Times()
    {
        var engine = await EngineAsync();
        for (int round = 0; round < 200; round++)
        {
            string name = $"e{round}";
            await engine.CreateStoreAsync<string, int>(new StoreOptions(name));
            using var barrier = new Barrier(2);
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(t => Task.Run(async () =>
            {
                await using var tx = engine.Begin();
                tx.OpenStore<string, int>(name).Add($"k{t}", t);
                barrier.SignalAndWait();
                await tx.CommitAsync();
                return true;
            })));
            Assert.All(results, Assert.True);
            await using var check = engine.Begin(TransactionMode.ForReading);
            Assert.Equal(["k0", "k1"], check.OpenStore<string, int>(name).Scan().Select(i => i.Key));
        }
    }

    [Fact]
    public async Task CounterFight_ReadModifyWrite_NoLostUpdate()
    {
        var engine = await EngineAsync();
        await engine.CreateStoreAsync<string, int>(new StoreOptions("c"));
        await RunWithRetryAsync(engine, tx => tx.OpenStore<string, int>("c").Add("n", 0));
        int successes = 0, conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 50; i++)
            {
                await using var tx = engine.Begin();
                var s = tx.OpenStore<string, int>("c");
                try
                {
                    Assert.True(s.TryGetValue("n", out int n));
                    s.Update("n", n + 1);
                    await tx.CommitAsync();
                    Interlocked.Increment(ref successes);
                }
                catch (TransactionConflictException e)
                {
                    Assert.Equal("c", e.Store);
                    Assert.Equal("n", e.Key);
                    Interlocked.Increment(ref conflicts);
                }
            }
        })));
        await using var check = engine.Begin(TransactionMode.ForReading);
        Assert.True(check.OpenStore<string, int>("c").TryGetValue("n", out int final));
        Assert.Equal(successes, final);
        Assert.Equal(300, successes + conflicts);
    }

    [Fact]
    public async Task BankTransfers_EightThreads_SumConstantNoNegativeBalance()
    {
        var a = await EngineAsync();
        var b = await EngineAsync(); // half of the threads go through a second engine on the same folder
        await a.CreateStoreAsync<string, long>(new StoreOptions("bank") { SlotLength = 4 });
        await RunWithRetryAsync(a, tx =>
        {
            var s = tx.OpenStore<string, long>("bank");
            for (int i = 0; i < 10; i++) s.Add($"acct{i}", 100);
            return true;
        });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var engine = t % 2 == 0 ? a : b;
            var rng = new Random(100 + t);
            for (int i = 0; i < 60; i++)
            {
                string from = $"acct{rng.Next(10)}", to = $"acct{rng.Next(10)}";
                long amount = rng.Next(1, 60);
                await RunWithRetryAsync(engine, tx =>
                {
                    var s = tx.OpenStore<string, long>("bank");
                    s.TryGetValue(from, out long fb);
                    if (from == to || fb < amount) return false;
                    s.TryGetValue(to, out long tb);
                    s.Update(from, fb - amount);
                    s.Update(to, tb + amount);
                    return true;
                });
            }
        })));
        foreach (var engine in new[] { a, b })
        {
            await using var check = engine.Begin(TransactionMode.ForReading);
            var balances = check.OpenStore<string, long>("bank").Scan().Select(i => i.Value).ToList();
            Assert.Equal(10, balances.Count);
            Assert.Equal(1000, balances.Sum());
            Assert.All(balances, v => Assert.True(v >= 0));
        }
    }

    [Fact]
    public async Task TwoEngines_ConcurrentDistinctWrites_UnionVisibleToBoth()
    {
        var a = await EngineAsync();
        var b = await EngineAsync();
        await a.CreateStoreAsync<string, string>(new StoreOptions("u") { SlotLength = 6 });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var engine = t < 4 ? a : b;
            for (int i = 0; i < 100; i++)
                await RunWithRetryAsync(engine, tx => tx.OpenStore<string, string>("u").Add($"{i:D3}-{t}", engine.WriterSlot.ToString()));
        })));
        foreach (var engine in new[] { a, b })
        {
            await using var check = engine.Begin(TransactionMode.ForReading);
            var s = check.OpenStore<string, string>("u");
            Assert.Equal(800, s.CheckInvariants());
            Assert.Equal(800, engine.GetCount("u"));
        }
    }

    [Fact]
    public async Task Reader_FailsOnlyWhenAnItemItReadChanged_NoCheckNeverFails()
    {
        var engine = await EngineAsync();
        await engine.CreateStoreAsync<int, string>(new StoreOptions("r"));
        await RunWithRetryAsync(engine, tx =>
        {
            var s = tx.OpenStore<int, string>("r");
            for (int i = 0; i < 10; i++) s.Add(i, "v0");
            return true;
        });
        // another item of the same node changes: the reader still commits
        var reader = engine.Begin(TransactionMode.ForReading);
        var noCheck = engine.Begin(TransactionMode.NoCheck);
        reader.OpenStore<int, string>("r").TryGetValue(1, out _);
        noCheck.OpenStore<int, string>("r").TryGetValue(1, out _);
        await RunWithRetryAsync(engine, tx => tx.OpenStore<int, string>("r").Update(8, "v1"));
        await reader.CommitAsync();
        // the item it read changes: the reader fails, NoCheck does not
        reader = engine.Begin(TransactionMode.ForReading);
        reader.OpenStore<int, string>("r").TryGetValue(1, out _);
        await RunWithRetryAsync(engine, tx => tx.OpenStore<int, string>("r").Update(1, "v1"));
        await Assert.ThrowsAsync<TransactionConflictException>(() => reader.CommitAsync().AsTask());
        noCheck.OpenStore<int, string>("r").TryGetValue(1, out string? seen);
        Assert.Equal("v1", seen); // NoCheck re-reads per operation: it sees the newer committed state
        await noCheck.CommitAsync();
    }

    [Fact]
    public async Task WriteSkew_BothCannotCommit()
    {
        var engine = await EngineAsync();
        await engine.CreateStoreAsync<string, int>(new StoreOptions("w"));
        await RunWithRetryAsync(engine, tx =>
        {
            var s = tx.OpenStore<string, int>("w");
            s.Add("x", 1);
            s.Add("y", 1);
            return true;
        });
        // Invariant: x + y >= 1. Each transaction checks it, then sets its own key to 0.
        var t1 = engine.Begin();
        var t2 = engine.Begin();
        var s1 = t1.OpenStore<string, int>("w");
        var s2 = t2.OpenStore<string, int>("w");
        s1.TryGetValue("x", out int x1);
        s1.TryGetValue("y", out int y1);
        s2.TryGetValue("x", out int x2);
        s2.TryGetValue("y", out int y2);
        Assert.True(x1 + y1 >= 2 && x2 + y2 >= 2);
        s1.Update("x", 0);
        s2.Update("y", 0);
        await t1.CommitAsync();
        await Assert.ThrowsAsync<TransactionConflictException>(() => t2.CommitAsync().AsTask());
    }
    [Fact]
    public async Task ReadsBeforeAndAfterAWrite_MergeOverAnotherKeysChange_ConflictOverTheirOwn()
    {
        var engine = await EngineAsync();
        await engine.CreateStoreAsync<string, int>(new StoreOptions("m"));
        await RunWithRetryAsync(engine, tx =>
        {
            var s = tx.OpenStore<string, int>("m");
            foreach (string k in new[] { "a", "b", "c", "d" }) s.Add(k, 1);
            return true;
        });
        async Task<bool> CommitsAfterConcurrentChangeOf(string changed)
        {
            var tx = engine.Begin();
            var s = tx.OpenStore<string, int>("m");
            s.TryGetValue("a", out _); // read before any write (kept compactly)
            s.Update("b", 2);
            s.TryGetValue("c", out _); // read after a write (kept in order with it)
            await RunWithRetryAsync(engine, other => other.OpenStore<string, int>("m").Update(changed, 5));
            try
            {
                await tx.CommitAsync();
                return true;
            }
            catch (TransactionConflictException)
            {
                return false;
            }
        }
        Assert.True(await CommitsAfterConcurrentChangeOf("d")); // same node, another key: merged
        Assert.False(await CommitsAfterConcurrentChangeOf("a"));
        Assert.False(await CommitsAfterConcurrentChangeOf("c"));
    }
}
