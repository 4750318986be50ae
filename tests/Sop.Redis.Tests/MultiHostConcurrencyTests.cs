using Sop.Redis.Tests.Support;
using Sop.Tests.Concurrency;

namespace Sop.Redis.Tests;

/// <summary>
/// The engine's whole concurrency suite a third time: multi-host mode (decisions.md 17), with the engines spread over
/// this host and two simulated others: one whose page cache serves files as of their opening, one whose pages are
/// fetched again at every read.
/// </summary>
public sealed class MultiHostConcurrencyTests(RedisServer redis) : ConcurrencyConformanceTests, IClassFixture<RedisServer>, IDisposable
{
    private readonly RedisEngines _engines = new(redis);
    private int _opened;

    protected override Task<SopEngine> OpenEngineAsync() =>
        (Interlocked.Increment(ref _opened) % 3) switch
        {
            1 => _engines.OpenThisHostAsync(),
            2 => _engines.OpenOtherHostAsync(), // its files as they were when opened
            _ => _engines.OpenOtherHostAsync(pagesRefresh: true), // its files as they are at every read
        };

    // the suite disposes its engines first; this only removes the folder (disposing an engine twice is harmless)
    public void Dispose() => _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
