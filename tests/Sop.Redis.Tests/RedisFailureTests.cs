using Sop.Errors;
using Sop.Redis.Options;
using Sop.Redis.Tests.Support;
using Sop.Transactions;
using StackExchange.Redis;

namespace Sop.Redis.Tests;

/// <summary>Redis unreachable, bad options, a clashing folder identity: clear, typed errors, never a hang or lost data.</summary>
public sealed class RedisFailureTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly RedisEngines _engines = new(redis);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (!IsUp()) await redis.StartAsync(); // leave the class fixture running for the other tests
        await _engines.DisposeAsync();
    }

    private bool IsUp()
    {
        try
        {
            using var probe = new System.Net.Sockets.TcpClient();
            probe.Connect(System.Net.IPAddress.Loopback, redis.Port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    [Fact]
    public async Task RedisDown_CommitFailsWithATypedErrorAfterBoundedRetries_AndWorksAgainWhenItIsBack()
    {
        var engine = await _engines.OpenAsync(r => { r.RetryAttempts = 2; r.RetryBaseDelay = TimeSpan.FromMilliseconds(10); });
        await engine.CreateStoreAsync<string, int>(new StoreOptions("down"));
        redis.Kill();
        await using (var tx = engine.Begin())
        {
            tx.OpenStore<string, int>("down").Add("lost", 1);
            var error = await Assert.ThrowsAsync<CoordinationUnavailableException>(() => tx.CommitAsync().AsTask());
            Assert.Contains("Redis", error.Message);
        }
        await redis.StartAsync();
        // the connection comes back by itself; the first commits may still see it reconnecting
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var tx = engine.Begin();
                tx.OpenStore<string, int>("down").Add("kept", 2);
                await tx.CommitAsync();
                break;
            }
            catch (CoordinationUnavailableException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
        await using var read = engine.Begin(TransactionMode.ForReading);
        var store = read.OpenStore<string, int>("down");
        Assert.False(store.TryGetValue("lost", out _)); // the failed commit left no trace
        Assert.True(store.TryGetValue("kept", out int kept));
        Assert.Equal(2, kept);
    }

    [Fact]
    public async Task FolderWhoseIncarnationClashesWithRedis_IsRefusedAtOpen()
    {
        var first = await _engines.OpenAsync();
        var id = first.Header.DatabaseId;
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration))
            await connection.GetDatabase().StringSetAsync($"sop:{{{id:N}}}:incarnation", "99"); // a restored copy is in use
        var error = await Assert.ThrowsAsync<FolderIdentityConflictException>(() => _engines.OpenAsync());
        Assert.Contains(id.ToString("N"), error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void InvalidRedisOptions_AreRejectedWithTheirName(string configuration)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => new Hosting.SopEngineOptions().UseRedis(configuration));
        Assert.Contains(nameof(SopRedisOptions.Configuration), error.Message);
    }

    [Fact]
    public void LockLifetimeTooShort_IsRejected()
    {
        var error = Assert.Throws<InvalidArgumentException>(() =>
            new Hosting.SopEngineOptions().UseRedis(redis.Configuration, r => r.LockLifetime = TimeSpan.FromMilliseconds(10)));
        Assert.Contains(nameof(SopRedisOptions.LockLifetime), error.Message);
    }
}
