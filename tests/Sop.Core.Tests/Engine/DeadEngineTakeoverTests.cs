using Sop.Storage;
using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Engine;

/// <summary>An engine that dies in the middle of publishing a commit does not stall the engines that live on.</summary>
public sealed class DeadEngineTakeoverTests
{
    [Fact]
    public async Task EngineDiesMidPublish_OthersTakeOverItsSlotAndKeepServing()
    {
        using var h = new EngineHarness(StoreKind.Memory);
        var disk = (InMemoryFileSystem)h.FileSystem;
        await using var alive = await h.OpenAsync();
        var dying = await h.OpenAsync();
        await alive.CreateStoreAsync<int, string>(new StoreOptions("s"));
        await using (var tx = alive.Begin())
        {
            tx.OpenStore<int, string>("s").Add(1, "one");
            await tx.CommitAsync();
        }
        // the dying engine "started" a publish (its started counter moved) and then its process died
        using (var counters = disk.OpenSharedCounters("/db/publish.seq")) counters.Increment(2 * dying.WriterSlot);
        disk.SimulatePowerLoss(keepPageCache: true);

        var read = Task.Run(async () =>
        {
            await using var tx = alive.Begin(TransactionMode.NoCheck);
            return tx.OpenStore<int, string>("s").TryGetValue(1, out var v) ? v : null;
        });
        Assert.Equal("one", await read.WaitAsync(TimeSpan.FromSeconds(60)));
        var write = Task.Run(async () =>
        {
            await using var tx = alive.Begin();
            tx.OpenStore<int, string>("s").Add(2, "two");
            await tx.CommitAsync();
        });
        await write.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, alive.GetCount("s"));
    }
}
