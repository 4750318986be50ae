using Sop.Caching;
using Sop.Ids;
using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Engine;

public sealed class L2CacheTests
{
    private sealed class BrokenL2Cache : IL2Cache
    {
        public ValueTask<byte[]?> TryGetNodeAsync(string store, BlobId blob, CancellationToken cancellationToken) => throw new IOException("cache down");

        public ValueTask PutNodeAsync(string store, BlobId blob, byte[] image, CancellationToken cancellationToken) => throw new IOException("cache down");
    }

    [Fact]
    public async Task SecondEngine_ReadsNodesOtherEngineWrote_FromSharedL2()
    {
        using var h = new EngineHarness(StoreKind.Memory);
        var l2 = new InMemoryL2Cache(TimeProvider.System, TimeSpan.FromMinutes(5));
        await using var a = await h.OpenAsync(o => o.L2Cache = l2);
        await using var b = await h.OpenAsync(o => o.L2Cache = l2);
        await a.CreateStoreAsync<int, string>(new StoreOptions("s") { SlotLength = 4 });
        await using (var tx = a.Begin())
        {
            var s = tx.OpenStore<int, string>("s");
            for (int i = 0; i < 50; i++) s.Add(i, $"v{i}");
            await tx.CommitAsync();
        }
        // the puts run off the commit path: wait (bounded) until they landed
        var deadline = DateTime.UtcNow.AddSeconds(30);
        await using var read = b.Begin(TransactionMode.ForReading);
        var r = read.OpenStore<int, string>("s");
        Assert.Equal(50, r.Scan().Count());
        while (l2.Hits == 0 && DateTime.UtcNow < deadline)
        {
            await using var again = b.Begin(TransactionMode.NoCheck);
            b.NodeCache.Clear();
            Assert.Equal(50, again.OpenStore<int, string>("s").Scan().Count());
        }
        Assert.True(l2.Hits > 0, "engine b never read a node image from the shared cache");
    }

    [Fact]
    public async Task BrokenL2_DegradesToBlobFiles_NeverToWrongAnswers()
    {
        using var h = new EngineHarness(StoreKind.File);
        await using var engine = await h.OpenAsync(o => o.L2Cache = new BrokenL2Cache());
        await engine.CreateStoreAsync<int, string>(new StoreOptions("s") { SlotLength = 4 });
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<int, string>("s");
            for (int i = 0; i < 30; i++) s.Add(i, $"v{i}");
            await tx.CommitAsync();
        }
        engine.NodeCache.Clear();
        await using var read = engine.Begin(TransactionMode.ForReading);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"v{i}"), read.OpenStore<int, string>("s").Scan().Select(i => i.Value));
    }
}
