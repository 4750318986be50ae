using Sop.Redis.Tests.Support;
using Sop.Tests.Concurrency;

namespace Sop.Redis.Tests;

/// <summary>
/// The engine's whole concurrency suite a third time: multi-host mode, with every second engine on another (simulated)
/// host whose page cache serves files as of their opening (decisions.md 17).
/// </summary>
public sealed class MultiHostConcurrencyTests(RedisServer redis) : ConcurrencyConformanceTests, IClassFixture<RedisServer>, IDisposable
{
    private readonly RedisEngines _engines = new(redis);
    private int _opened;

    protected override Task<SopEngine> OpenEngineAsync() =>
        Interlocked.Increment(ref _opened) % 2 == 1 ? _engines.OpenThisHostAsync() : _engines.OpenOtherHostAsync();

    // the suite disposes its engines first; this only removes the folder (disposing an engine twice is harmless)
    public void Dispose() => _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
