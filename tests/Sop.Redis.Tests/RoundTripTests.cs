using Sop.Redis.Tests.Support;
using Sop.Transactions;

namespace Sop.Redis.Tests;

/// <summary>Issue 5: a small commit costs at most three Redis round trips (lock, validate, release).</summary>
public sealed class RoundTripTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly RedisEngines _engines = new(redis);
    private CountingDatabase _counter = null!;
    private SopEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await _engines.OpenAsync(r => r.TokenRefreshInterval = TimeSpan.FromHours(1), db =>
        {
            var (wrapped, counter) = CountingDatabase.Wrap(db);
            _counter = counter;
            return wrapped;
        });
        await _engine.CreateStoreAsync<string, int>(new StoreOptions("rt") { SlotLength = 4 });
        await using var tx = _engine.Begin();
        var s = tx.OpenStore<string, int>("rt");
        for (int i = 0; i < 40; i++) s.Add($"k{i:D2}", i); // several leaves under an interior root
        await tx.CommitAsync();
    }

    public Task DisposeAsync() => _engines.DisposeAsync().AsTask();

    [Fact]
    public async Task SmallCommit_OneUpdateInALeaf_CostsThreeRoundTrips()
    {
        _counter.Reset();
        await using (var tx = _engine.Begin())
        {
            tx.OpenStore<string, int>("rt").Update("k17", 1700);
            await tx.CommitAsync();
        }
        Assert.Equal(["ScriptEvaluateAsync", "ScriptEvaluateAsync", "ScriptEvaluateAsync"], _counter.Calls);
    }

    [Fact]
    public async Task SmallCommit_InAOneLeafStore_CostsTwoRoundTrips()
    {
        await _engine.CreateStoreAsync<string, int>(new StoreOptions("leaf"));
        await using (var setup = _engine.Begin())
        {
            setup.OpenStore<string, int>("leaf").Add("a", 1);
            await setup.CommitAsync();
        }
        _counter.Reset();
        await using (var tx = _engine.Begin())
        {
            tx.OpenStore<string, int>("leaf").Update("a", 2); // the root is the leaf: nothing read that is not written
            await tx.CommitAsync();
        }
        Assert.Equal(["ScriptEvaluateAsync", "ScriptEvaluateAsync"], _counter.Calls); // lock, release
    }

    [Fact]
    public async Task SmallCommit_OneInsert_CostsAtMostThreeRoundTrips()
    {
        _counter.Reset();
        await using (var tx = _engine.Begin())
        {
            tx.OpenStore<string, int>("rt").Add("k17a", 1);
            await tx.CommitAsync();
        }
        Assert.InRange(_counter.Calls.Count, 1, 3);
    }

    [Fact]
    public async Task ReadOnlyTransaction_ValidatesItsReadsInOneRoundTrip()
    {
        _counter.Reset();
        await using (var tx = _engine.Begin(TransactionMode.ForReading))
        {
            Assert.True(tx.OpenStore<string, int>("rt").TryGetValue("k03", out _));
            await tx.CommitAsync();
        }
        Assert.Single(_counter.Calls);
    }
}
