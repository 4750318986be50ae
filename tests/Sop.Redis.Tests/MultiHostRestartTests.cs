using Sop.Errors;
using Sop.Redis.Tests.Support;
using Sop.Transactions;
using static Sop.Redis.Tests.Support.EngineOps;

namespace Sop.Redis.Tests;

/// <summary>
/// Multi-host mode (decisions.md 17) when Redis restarts or a publish fails after its commit record: host B reads the
/// folder through <see cref="OtherHostFileSystem"/>. A class of its own, with its own Redis server, because its tests
/// restart it.
/// </summary>
public sealed class MultiHostRestartTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly RedisEngines _engines = new(redis);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _engines.DisposeAsync().AsTask();

    [Theory]
    [InlineData(PublishFailure.BeforeRedis, 1L)]
    [InlineData(PublishFailure.AnswerLost, 2L)]
    public async Task PublishFailsAfterTheCommitRecord_TheLockServerDecidesWhetherTheCommitHappened(PublishFailure failure, long expected)
    {
        var a = await _engines.OpenThisHostAsync();
        await a.CreateStoreAsync<string, long>(new StoreOptions("d"));
        await PutAsync(a, "d", "k", 1);
        FailingPublishDatabase control = null!;
        var b = await _engines.OpenOtherHostAsync(configure: r => r.RetryAttempts = 0, decorator: db =>
        {
            var (wrapped, c) = FailingPublishDatabase.Wrap(db);
            control = c;
            return wrapped;
        });
        control.Failure = failure;
        // The record is durable, its publish failed: host B stops and gives its writer slot up.
        await Assert.ThrowsAsync<StorageException>(() => PutAsync(b, "d", "k", 2));
        Assert.Equal(expected, await GetAsync(a, "d", "k")); // Redis has it or not, and so does every host
        // An engine that opens now takes the slot over: it redoes the record into the files only if Redis had it.
        var c = await _engines.OpenThisHostAsync();
        Assert.Equal(expected, await GetAsync(c, "d", "k"));
        await redis.RestartAsync(); // the shared view is gone: from here on the files alone answer
        foreach (var engine in new[] { a, c })
        {
            await PutUntilRedisAnswersAsync(engine, "d", $"after-{engine.WriterSlot}", 0);
            Assert.Equal(expected, await GetAsync(engine, "d", "k"));
        }
    }

    [Fact]
    public async Task RedisRestart_BothHostsCheckpointAndReadTheFilesAgain_NothingLost()
    {
        var a = await _engines.OpenThisHostAsync();
        await a.CreateStoreAsync<string, long>(new StoreOptions("r") { SlotLength = 4 });
        var b = await _engines.OpenOtherHostAsync();
        for (int i = 0; i < 30; i++) await PutAsync(i % 2 == 0 ? a : b, "r", $"before{i:D2}", i);
        await redis.RestartAsync(); // every key gone: token, locks, the shared view
        for (int i = 0; i < 30; i++) await PutUntilRedisAnswersAsync(i % 2 == 0 ? b : a, "r", $"after{i:D2}", i);
        foreach (var engine in new[] { a, b })
        {
            await using var tx = await engine.BeginAsync(TransactionMode.ForReading);
            var s = tx.OpenStore<string, long>("r");
            for (int i = 0; i < 30; i++)
            {
                Assert.True(s.TryGetValue($"before{i:D2}", out long x) && x == i, $"before{i:D2}");
                Assert.True(s.TryGetValue($"after{i:D2}", out long y) && y == i, $"after{i:D2}");
            }
            Assert.Equal(60, s.CheckInvariants());
            await tx.CommitAsync();
        }
        Assert.Equal(60, a.GetCount("r"));
        Assert.Equal(60, b.GetCount("r"));
    }

    [Fact]
    public async Task NoCheckReaderOnAHostWhosePagesRefresh_NeverSeesPartOfACommit()
    {
        var a = await _engines.OpenThisHostAsync();
        await a.CreateStoreAsync<string, long>(new StoreOptions("t") { SlotLength = 4 });
        await using (var setup = await a.BeginAsync())
        {
            var s = setup.OpenStore<string, long>("t");
            foreach (string key in new[] { "a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3" }) s.Add(key, 100);
            await setup.CommitAsync();
        }
        await redis.RestartAsync(); // a new generation: no node has been changed in it yet
        await PutUntilRedisAnswersAsync(a, "t", "a0", 100); // a0's leaf is changed in it, b3's is not
        var b = await _engines.OpenOtherHostAsync(pagesRefresh: true);
        await using var reader = await b.BeginAsync(TransactionMode.NoCheck);
        var view = reader.OpenStore<string, long>("t");
        await using (var transfer = await a.BeginAsync())
        {
            var s = transfer.OpenStore<string, long>("t");
            s.Update("a0", 99);
            s.Update("b3", 101);
            await transfer.CommitAsync();
        }
        // Host B has not caught up with the transfer. Its view holds a0's leaf as before; b3's leaf it reads from
        // the file, whose pages may already show the transfer: it must not mix the two.
        Assert.True(view.TryGetValue("a0", out long a0));
        Assert.True(view.TryGetValue("b3", out long b3));
        Assert.Equal(200, a0 + b3);
        await using var after = await b.BeginAsync(TransactionMode.NoCheck);
        var now = after.OpenStore<string, long>("t");
        Assert.True(now.TryGetValue("a0", out long a0After) && a0After == 99);
        Assert.True(now.TryGetValue("b3", out long b3After) && b3After == 101);
    }
}
