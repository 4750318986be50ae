using Sop.Hosting;
using Sop.Redis.Coordination;
using Sop.Redis.Options;
using Sop.Tests.Support;
using StackExchange.Redis;

namespace Sop.Redis.Tests.Support;

/// <summary>Opens engines on one folder in clustered mode against a test's Redis server.</summary>
public sealed class RedisEngines(RedisServer redis, StoreKind kind = StoreKind.File) : IAsyncDisposable
{
    private readonly EngineHarness _harness = new(kind);
    private readonly List<SopEngine> _engines = [];

    public EngineHarness Harness => _harness;

    /// <summary>Opens another engine (its own connection, caches and writer slot).</summary>
    public async Task<SopEngine> OpenAsync(Action<SopRedisOptions>? configure = null, Func<IDatabase, IDatabase>? decorator = null, Action<SopEngineOptions>? engineOptions = null)
    {
        var redisOptions = new SopRedisOptions { Configuration = redis.Configuration, LockLifetime = TimeSpan.FromSeconds(1) };
        configure?.Invoke(redisOptions);
        var engine = await _harness.OpenAsync(o =>
        {
            engineOptions?.Invoke(o);
            o.UseRedis(redisOptions, decorator);
        });
        _engines.Add(engine);
        return engine;
    }

    /// <summary>The Redis coordinator of an engine opened here.</summary>
    internal static RedisCoordinator CoordinatorOf(SopEngine engine) => (RedisCoordinator)engine.Coordinator;

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines) await engine.DisposeAsync();
        _harness.Dispose();
    }
}
