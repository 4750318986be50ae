using Sop.Errors;
using Sop.Redis.Tests.Support;
using Sop.Transactions;
using static Sop.Redis.Tests.Support.EngineOps;

namespace Sop.Redis.Tests;

/// <summary>
/// Decisions.md 17: engines on several hosts share one folder whose pages another host may see stale. Host A uses the
/// folder as it is; host B sees it through <see cref="OtherHostFileSystem"/> (a file reads what it held when it was
/// opened; its own shared memory). Every engine runs with <c>MultiHost</c>, so commits travel through Redis.
/// </summary>
public sealed class MultiHostTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly RedisEngines _engines = new(redis);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _engines.DisposeAsync().AsTask();

    [Fact]
    public async Task WithoutMultiHost_TheOtherHostReadsStaleRegistryPages()
    {
        // The model must bite: without the shared view, host B keeps reading the root handle it saw first.
        var a = await _engines.OpenThisHostAsync(multiHost: false);
        await a.CreateStoreAsync<string, long>(new StoreOptions("s"));
        await PutAsync(a, "s", "k", 1);
        var b = await _engines.OpenOtherHostAsync(multiHost: false);
        Assert.Equal(1, await GetAsync(b, "s", "k"));
        await PutAsync(a, "s", "k", 2);
        Assert.Equal(1, await GetAsync(b, "s", "k", TransactionMode.NoCheck));
    }

    [Fact]
    public async Task CommitsOnEitherHost_AreSeenByTheOther_AtTheNextTransaction()
    {
        var a = await _engines.OpenThisHostAsync();
        await a.CreateStoreAsync<string, long>(new StoreOptions("s") { SlotLength = 4 });
        var b = await _engines.OpenOtherHostAsync();
        for (int i = 0; i < 60; i++)
        {
            var (writer, reader) = i % 2 == 0 ? (a, b) : (b, a);
            await PutAsync(writer, "s", $"k{i % 20:D2}", i);
            Assert.Equal(i, await GetAsync(reader, "s", $"k{i % 20:D2}"));
            Assert.Equal(i, await GetAsync(reader, "s", $"k{i % 20:D2}", TransactionMode.NoCheck));
        }
        Assert.Equal(20, a.GetCount("s"));
        Assert.Equal(20, b.GetCount("s"));
        await using var check = await b.BeginAsync(TransactionMode.ForReading);
        Assert.Equal(20, check.OpenStore<string, long>("s").CheckInvariants());
    }

    [Fact]
    public async Task SmallCommit_CostsThreeRoundTrips_AndATransactionStartOne()
    {
        CountingDatabase counter = null!;
        var a = await _engines.OpenAsync(r =>
        {
            r.MultiHost = true;
            r.TokenRefreshInterval = TimeSpan.FromHours(1);
            r.LockLifetime = TimeSpan.FromSeconds(30);
            r.LeaseRenewInterval = TimeSpan.FromSeconds(15); // renewed at open, then not during the count
        }, db =>
        {
            var (wrapped, c) = CountingDatabase.Wrap(db);
            counter = c;
            return wrapped;
        });
        await a.CreateStoreAsync<string, long>(new StoreOptions("rt") { SlotLength = 4 });
        for (int i = 0; i < 20; i++) await PutAsync(a, "rt", $"k{i:D2}", i); // leaves under an interior root
        counter.Reset();
        await using var tx = await a.BeginAsync();
        var begin = Evaluations(counter);
        counter.Reset();
        tx.OpenStore<string, long>("rt").Update("k07", 700);
        await tx.CommitAsync();
        Assert.Equal(1, begin); // catch up with other hosts
        Assert.Equal(3, Evaluations(counter)); // lock; validate and catch up; publish and unlock

        static int Evaluations(CountingDatabase c) => c.Calls.Count(n => n is "ScriptEvaluateAsync" or "ScriptEvaluate");
    }

    [Fact]
    public async Task CounterIncrementedFromBothHosts_IsExact()
    {
        var a = await _engines.OpenThisHostAsync();
        await a.CreateStoreAsync<string, long>(new StoreOptions("c") { SlotLength = 4 });
        await PutAsync(a, "c", "counter", 0);
        for (int i = 0; i < 30; i++) await PutAsync(a, "c", $"pad{i:D2}", i); // an interior root above several leaves
        var b = await _engines.OpenOtherHostAsync();
        const int perWorker = 40;
        var workers = new[] { a, b, a, b }.Select(engine => Task.Run(async () =>
        {
            for (int i = 0; i < perWorker; i++)
            {
                while (true)
                {
                    try
                    {
                        await using var tx = await engine.BeginAsync();
                        var s = tx.OpenStore<string, long>("c");
                        Assert.True(s.TryGetValue("counter", out long value));
                        s.Update("counter", value + 1);
                        await tx.CommitAsync();
                        break;
                    }
                    catch (TransactionConflictException)
                    {
                        // lost to the other host: read again and retry
                    }
                }
            }
        })).ToList();
        await Task.WhenAll(workers);
        Assert.Equal(4 * perWorker, await GetAsync(a, "c", "counter"));
        Assert.Equal(4 * perWorker, await GetAsync(b, "c", "counter"));
    }

    [Fact]
    public async Task TransfersOnBothHosts_ReadersOnBothNeverSeeATornState()
    {
        const int accounts = 6;
        const long opening = 100;
        var a = await _engines.OpenThisHostAsync();
        await a.CreateStoreAsync<string, long>(new StoreOptions("bank") { SlotLength = 4 });
        for (int i = 0; i < accounts; i++) await PutAsync(a, "bank", $"acct-{i}", opening);
        var b = await _engines.OpenOtherHostAsync();
        using var stop = new CancellationTokenSource();
        int transfers = 0, checkedSums = 0;
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var movers = new[] { a, b }.Select((engine, w) => Task.Run(async () =>
        {
            var rng = new Random(w);
            for (int i = 0; i < 60; i++)
            {
                int from = rng.Next(accounts), to = (from + 1 + rng.Next(accounts - 1)) % accounts;
                try
                {
                    await using var tx = await engine.BeginAsync();
                    var s = tx.OpenStore<string, long>("bank");
                    Assert.True(s.TryGetValue($"acct-{from}", out long x));
                    Assert.True(s.TryGetValue($"acct-{to}", out long y));
                    s.Update($"acct-{from}", x - 1);
                    s.Update($"acct-{to}", y + 1);
                    s.Add($"t{w}-{i:D3}", from); // the transfer's receipt
                    await tx.CommitAsync();
                    acknowledged.Add($"t{w}-{i:D3}");
                    Interlocked.Increment(ref transfers);
                }
                catch (TransactionConflictException)
                {
                }
            }
        })).ToList();
        var readers = new[] { a, b }.Select(engine => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await using var tx = await engine.BeginAsync(TransactionMode.ForReading);
                    var s = tx.OpenStore<string, long>("bank");
                    long sum = 0;
                    for (int i = 0; i < accounts; i++) sum += s.TryGetValue($"acct-{i}", out long v) ? v : 0;
                    await tx.CommitAsync();
                    Assert.Equal(accounts * opening, sum); // a reader that committed saw one whole state
                    Interlocked.Increment(ref checkedSums);
                }
                catch (TransactionConflictException)
                {
                }
            }
        })).ToList();
        await Task.WhenAll(movers);
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.True(transfers > 0 && checkedSums > 0, $"{transfers} transfers, {checkedSums} checked sums");
        foreach (var engine in new[] { a, b })
        {
            long total = 0;
            for (int i = 0; i < accounts; i++) total += await GetAsync(engine, "bank", $"acct-{i}") ?? 0;
            Assert.Equal(accounts * opening, total);
            foreach (string receipt in acknowledged) Assert.NotNull(await GetAsync(engine, "bank", receipt)); // no acknowledged transfer lost
            Assert.Equal(accounts + acknowledged.Count, engine.GetCount("bank"));
        }
    }

    [Fact]
    public async Task RegistryGrownByOneHost_TheOtherReadsAndWritesEveryItem()
    {
        var a = await _engines.OpenThisHostAsync();
        await a.CreateStoreAsync<string, long>(new StoreOptions("big") { SlotLength = 4 });
        var b = await _engines.OpenOtherHostAsync();
        Assert.Null(await GetAsync(b, "big", "x")); // host B opened the registry while it was small
        const int items = 3000; // more than a thousand nodes: the registry grows past its first epochs
        for (int first = 0; first < items; first += 250)
        {
            await using var tx = await a.BeginAsync();
            var s = tx.OpenStore<string, long>("big");
            for (int i = first; i < first + 250; i++) s.Add($"i{i:D5}", i);
            await tx.CommitAsync();
        }
        await using (var tx = await b.BeginAsync())
        {
            var s = tx.OpenStore<string, long>("big");
            Assert.Equal(items, s.CheckInvariants());
            for (int i = 0; i < items; i += 7) Assert.True(s.TryGetValue($"i{i:D5}", out long v) && v == i, $"item {i}");
            for (int i = 0; i < 200; i++) s.Add($"j{i:D5}", i);
            await tx.CommitAsync();
        }
        Assert.Equal(items + 200, a.GetCount("big"));
        await using var check = await a.BeginAsync(TransactionMode.ForReading);
        Assert.Equal(items + 200, check.OpenStore<string, long>("big").CheckInvariants());
    }

    [Fact]
    public async Task StoreDeletedOnOneHost_IsGoneOnTheOther()
    {
        var a = await _engines.OpenThisHostAsync();
        await a.CreateStoreAsync<string, long>(new StoreOptions("gone"));
        var b = await _engines.OpenOtherHostAsync();
        await PutAsync(b, "gone", "k", 1);
        Assert.True(await a.DeleteStoreAsync("gone"));
        await using var tx = await b.BeginAsync();
        Assert.Throws<StoreNotFoundException>(() => tx.OpenStore<string, long>("gone"));
        Assert.Throws<StoreNotFoundException>(() => b.GetCount("gone"));
    }

    [Fact]
    public async Task BlobsReplacedOnOneHost_WaitForTheOtherHostsOldestReader()
    {
        var a = await _engines.OpenThisHostAsync();
        await a.CreateStoreAsync<string, long>(new StoreOptions("w") { SlotLength = 4 });
        await using (var setup = await a.BeginAsync())
        {
            var s = setup.OpenStore<string, long>("w");
            for (int i = 0; i < 40; i++) s.Add($"k{i:D2}", i);
            await setup.CommitAsync();
        }
        var b = await _engines.OpenOtherHostAsync(); // its cache holds only what it read
        await using var reader = await b.BeginAsync(TransactionMode.ForReading);
        var view = reader.OpenStore<string, long>("w");
        Assert.True(view.TryGetValue("k00", out _)); // the reader is under way (root and first leaf read)
        // No wait for lease renewals: host B's lease (taken when it opened) already holds a sequence at or below the
        // reader's start, and host A's watermark is never above it.
        Assert.NotNull(((Sop.Coordination.ISharedPublishes)a.Coordinator).ReaderWatermark);
        for (int round = 0; round < 5; round++)
        {
            await PutAsync(a, "w", "k39", 1000 + round); // the last leaf, not read by the reader yet
            await a.CheckpointAsync(); // would delete the replaced blobs if nobody could read them
        }
        Assert.True(view.TryGetValue("k39", out long seen));
        Assert.Equal(39, seen); // the reader's snapshot, from a blob host A kept for it
        await Assert.ThrowsAsync<TransactionConflictException>(() => reader.CommitAsync().AsTask()); // it read a value that changed
        Assert.Equal(1004, await GetAsync(b, "w", "k39"));
    }

    [Fact]
    public async Task PublishArrivingAfterItsLocksRanOut_OthersWentOn_IsRefused_AndTheTransactionRetries()
    {
        var a = await _engines.OpenThisHostAsync();
        await a.CreateStoreAsync<string, long>(new StoreOptions("h"));
        await PutAsync(a, "h", "a", 1); // one leaf holds every key
        var (b, control) = await OtherHostWithHeldPublishAsync();
        var sharedB = (Sop.Coordination.ISharedPublishes)b.Coordinator;
        int refusedBefore = sharedB.PublishedThrough().Refused.Count;
        control.Failure = PublishFailure.Held;
        var commitB = Task.Run(() => PutAsync(b, "h", "b", 2));
        Assert.True(control.Arrived.Wait(TimeSpan.FromSeconds(30)), "host B never published");
        // Host B's record is durable, its publish is on the way; its lock runs out and host A commits over the leaf.
        await PutAsync(a, "h", "a", 3);
        control.Release.Set();
        await commitB; // refused, merged on host A's leaf, committed in a later round
        foreach (var engine in new[] { a, b })
        {
            Assert.Equal(3, await GetAsync(engine, "h", "a"));
            Assert.Equal(2, await GetAsync(engine, "h", "b"));
            Assert.Equal(2, engine.GetCount("h"));
        }
        var marks = sharedB.PublishedThrough();
        Assert.Equal(refusedBefore + 1, marks.Refused.Count); // recovery will never redo the refused record
        Assert.Contains(marks.Refused, r => r.Slot == b.WriterSlot && r.Seq <= marks.Marks[b.WriterSlot]);
    }

    [Fact]
    public async Task PublishArrivingAfterItsLocksRanOut_NobodyWentOn_IsPublished()
    {
        var a = await _engines.OpenThisHostAsync();
        await a.CreateStoreAsync<string, long>(new StoreOptions("q"));
        await PutAsync(a, "q", "a", 1);
        var (b, control) = await OtherHostWithHeldPublishAsync();
        control.Failure = PublishFailure.Held;
        var commitB = Task.Run(() => PutAsync(b, "q", "a", 2));
        Assert.True(control.Arrived.Wait(TimeSpan.FromSeconds(30)), "host B never published");
        await WaitUntilNoLockAsync();
        control.Release.Set();
        await commitB;
        Assert.Equal(2, await GetAsync(a, "q", "a"));
    }

    private async Task<(SopEngine Engine, FailingPublishDatabase Control)> OtherHostWithHeldPublishAsync()
    {
        FailingPublishDatabase control = null!;
        var engine = await _engines.OpenOtherHostAsync(configure: r => r.LockLifetime = TimeSpan.FromMilliseconds(500), decorator: db =>
        {
            var (wrapped, c) = FailingPublishDatabase.Wrap(db);
            control = c;
            return wrapped;
        });
        return (engine, control);
    }

    /// <summary>Polls (bounded) until no lock scent is left in Redis: the held commit's locks ran out.</summary>
    private async Task WaitUntilNoLockAsync()
    {
        using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var server = connection.GetServers()[0];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (server.Keys(pattern: "*:l:*").Any())
        {
            Assert.True(DateTime.UtcNow < deadline, "a lock never ran out");
            await Task.Delay(20);
        }
    }
}
