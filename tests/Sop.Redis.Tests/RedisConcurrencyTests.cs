using Sop.Redis.Tests.Support;
using Sop.Tests.Concurrency;

namespace Sop.Redis.Tests;

/// <summary>The engine's whole concurrency suite a second time, with every engine coordinating through a real Redis.</summary>
public sealed class RedisConcurrencyTests(RedisServer redis) : ConcurrencyConformanceTests, IClassFixture<RedisServer>, IDisposable
{
    private readonly RedisEngines _engines = new(redis);

    protected override Task<SopEngine> OpenEngineAsync() => _engines.OpenAsync();

    // the suite disposes its engines first; this only removes the folder (disposing an engine twice is harmless)
    public void Dispose() => _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
