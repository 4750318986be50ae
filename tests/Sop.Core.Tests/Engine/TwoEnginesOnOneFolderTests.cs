using Sop.Errors;
using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Engine;

/// <summary>Two engine instances (separate caches and writer slots) on one folder never serve each other stale nodes.</summary>
public sealed class TwoEnginesOnOneFolderTests
{
    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task NodeChangedByOtherEngine_IsNeverServedStale(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var a = await h.OpenAsync();
        await using var b = await h.OpenAsync();
        Assert.NotEqual(a.WriterSlot, b.WriterSlot);
        await a.CreateStoreAsync<string, int>(new StoreOptions("s") { SlotLength = 4 });
        for (int round = 0; round < 20; round++)
        {
            var writer = round % 2 == 0 ? a : b;
            var reader = round % 2 == 0 ? b : a;
            await using (var tx = writer.Begin())
            {
                var s = tx.OpenStore<string, int>("s");
                s.Upsert("hot", round);
                s.Upsert($"k{round:D2}", round);
                await tx.CommitAsync();
            }
            // the reader warmed its L1 with the previous version last round
            await using (var tx = reader.Begin(TransactionMode.ForReading))
            {
                var s = tx.OpenStore<string, int>("s");
                Assert.True(s.TryGetValue("hot", out int v));
                Assert.Equal(round, v);
                Assert.Equal(round + 2, s.Scan().Count());
                Assert.Equal(round + 2, s.Count);
                await tx.CommitAsync();
            }
        }
    }

    [Fact]
    public async Task WriteBasedOnStaleRead_FromOtherEngine_IsAConflict()
    {
        using var h = new EngineHarness(StoreKind.Memory);
        await using var a = await h.OpenAsync();
        await using var b = await h.OpenAsync();
        await a.CreateStoreAsync<string, int>(new StoreOptions("s"));
        await using (var seed = a.Begin())
        {
            seed.OpenStore<string, int>("s").Add("x", 1);
            await seed.CommitAsync();
        }
        await using var slow = a.Begin();
        var sa = slow.OpenStore<string, int>("s");
        Assert.True(sa.TryGetValue("x", out int seen));
        await using (var fast = b.Begin())
        {
            fast.OpenStore<string, int>("s").Update("x", 10);
            await fast.CommitAsync();
        }
        sa.Update("x", seen + 1);
        await Assert.ThrowsAsync<TransactionConflictException>(() => slow.CommitAsync().AsTask());
        await using var check = b.Begin(TransactionMode.ForReading);
        Assert.True(check.OpenStore<string, int>("s").TryGetValue("x", out int now));
        Assert.Equal(10, now);
    }

    [Fact]
    public async Task StoreCreatedByOneEngine_IsVisibleToTheOther()
    {
        using var h = new EngineHarness(StoreKind.File);
        await using var a = await h.OpenAsync();
        await using var b = await h.OpenAsync();
        await a.CreateStoreAsync<string, int>(new StoreOptions("fresh"));
        Assert.Contains(b.ListStores(), i => i.Name == "fresh");
        Assert.True(await b.DeleteStoreAsync("fresh"));
        Assert.Null(a.TryGetStoreInfo("fresh"));
    }
    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task StoreDeletedOrRegistryGrownByTheOther_IsNoticedByAWarmEngine(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var a = await h.OpenAsync();
        await using var b = await h.OpenAsync();
        await a.CreateStoreAsync<string, int>(new StoreOptions("grow") { SlotLength = 4 });
        await a.CreateStoreAsync<string, int>(new StoreOptions("gone"));
        await using (var warm = a.Begin()) // a's runtimes have looked at the files now
        {
            warm.OpenStore<string, int>("grow").Add("first", 0);
            warm.OpenStore<string, int>("gone").Add("x", 1);
            await warm.CommitAsync();
        }
        await using var reading = a.Begin(TransactionMode.ForReading);
        Assert.True(reading.OpenStore<string, int>("gone").TryGetValue("x", out _));

        // b grows "grow"'s registry past its first file (a few thousand nodes) and deletes "gone"
        for (int batch = 0; batch < 8; batch++)
        {
            await using var tx = b.Begin();
            var s = tx.OpenStore<string, int>("grow");
            for (int i = 0; i < 500; i++) s.Add($"k{batch:D2}-{i:D4}", i);
            await tx.CommitAsync();
        }
        Assert.True(await b.DeleteStoreAsync("gone"));

        await Assert.ThrowsAsync<TransactionConflictException>(() => reading.CommitAsync().AsTask());
        await using var after = a.Begin(TransactionMode.ForReading);
        Assert.Throws<StoreNotFoundException>(() => after.OpenStore<string, int>("gone"));
        var grown = after.OpenStore<string, int>("grow");
        Assert.Equal(4001, grown.Scan().Count());
        Assert.True(grown.TryGetValue("k07-0499", out int last));
        Assert.Equal(499, last);
    }
}
