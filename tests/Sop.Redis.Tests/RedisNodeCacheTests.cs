using Sop.Redis.Tests.Support;
using Sop.Transactions;
using StackExchange.Redis;

namespace Sop.Redis.Tests;

/// <summary>The L2 node cache in Redis: shared between engines, and an outage only makes reads go to the folder.</summary>
public sealed class RedisNodeCacheTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly RedisEngines _engines = new(redis);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _engines.DisposeAsync();
    }

    [Fact]
    public async Task NodesWrittenByOneEngine_AreCachedInRedis_AndReadCorrectlyByAnother_EvenWhenRedisIsGone()
    {
        var writer = await _engines.OpenAsync(r => r.NodeCache = true);
        await writer.CreateStoreAsync<string, int>(new StoreOptions("cached") { SlotLength = 8 });
        await using (var tx = writer.Begin())
        {
            var s = tx.OpenStore<string, int>("cached");
            for (int i = 0; i < 200; i++) s.Add($"k{i:D3}", i);
            await tx.CommitAsync();
        }
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            var server = connection.GetServer(redis.Configuration);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            // the images are offered to the cache off the commit path
            while (!server.Keys(pattern: "sop:b:*").Any()) 
            {
                Assert.True(DateTime.UtcNow < deadline, "no node image reached Redis");
                await Task.Delay(10);
            }
        }
        var reader = await _engines.OpenAsync(r => r.NodeCache = true);
        await AssertAllPresent(reader);
        redis.Kill();
        var lateReader = await _engines.OpenAsync(r => { r.NodeCache = true; r.RetryAttempts = 0; });
        await AssertAllPresent(lateReader); // cache unreachable: every node comes from the folder
        await redis.StartAsync();
    }

    private static async Task AssertAllPresent(SopEngine engine)
    {
        await using var tx = engine.Begin(TransactionMode.NoCheck);
        var s = tx.OpenStore<string, int>("cached");
        for (int i = 0; i < 200; i++)
        {
            Assert.True(s.TryGetValue($"k{i:D3}", out int v), $"k{i:D3} missing");
            Assert.Equal(i, v);
        }
    }
}
