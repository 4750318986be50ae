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

    /// <summary>An engine on this host; <paramref name="multiHost"/>: as one of several hosts (decisions.md 17).</summary>
    public Task<SopEngine> OpenThisHostAsync(bool multiHost = true) => OpenAsync(r => r.MultiHost = multiHost);

    /// <summary>An engine on another (simulated) host: it sees the folder through <see cref="OtherHostFileSystem"/>.</summary>
    public Task<SopEngine> OpenOtherHostAsync(bool multiHost = true, Action<SopRedisOptions>? configure = null, Func<IDatabase, IDatabase>? decorator = null,
        bool pagesRefresh = false) =>
        OpenAsync(r =>
        {
            r.MultiHost = multiHost;
            configure?.Invoke(r);
        }, decorator, o => o.FileSystem = new OtherHostFileSystem(o.FileSystem, pagesRefresh));

    /// <summary>The Redis coordinator of an engine opened here.</summary>
    internal static RedisCoordinator CoordinatorOf(SopEngine engine) => (RedisCoordinator)engine.Coordinator;

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines) await engine.DisposeAsync();
        _harness.Dispose();
    }
}
