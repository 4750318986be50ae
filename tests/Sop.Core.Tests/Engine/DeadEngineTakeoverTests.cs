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

/// <summary>
/// A dead engine's record that was durable but never published is dropped when the living committed over part of
/// it meanwhile (its node locks died with it), never redone in part.
/// </summary>
public sealed class DeadEngineUnpublishedRecordTests
{
    [Fact]
    public async Task UnpublishedRecordOvertakenByTheLiving_IsDroppedWhole()
    {
        var disk = new InMemoryFileSystem();
        var options = new Sop.Hosting.SopEngineOptions { DataPath = "/db", FileSystem = disk };
        await using var alive = await SopEngine.OpenAsync(options);
        await alive.CreateStoreAsync<string, int>(new StoreOptions("s") { SlotLength = 4 });
        await using (var tx = alive.Begin())
        {
            var s = tx.OpenStore<string, int>("s");
            for (int i = 0; i < 20; i++) s.Add($"k{i:D2}", 0);
            await tx.CommitAsync();
        }
        var dyingFs = new FaultInjectingFileSystem(disk);
        var dying = await SopEngine.OpenAsync(new Sop.Hosting.SopEngineOptions { DataPath = "/db", FileSystem = dyingFs });
        await using (var tx = dying.Begin())
        {
            var s = tx.OpenStore<string, int>("s");
            s.Update("k00", 1);
            s.Update("k19", 1);
            // the commit touches two leaves; its record becomes durable, then the process dies at its first registry write
            dyingFs.CrashOnPath = p => p.Contains("registry.", StringComparison.Ordinal) && p.EndsWith(".reg", StringComparison.Ordinal);
            await Assert.ThrowsAnyAsync<Exception>(() => tx.CommitAsync().AsTask());
        }
        // make it a record whose publish never started (as for a later record of the same group-commit batch)
        using (var counters = disk.OpenSharedCounters("/db/publish.seq"))
        {
            int slot = dying.WriterSlot;
            counters.Write(2 * slot, counters.Read((2 * slot) + 1));
            counters.Write(128 + slot, counters.Read(128 + slot) - 1);
        }
        disk.SimulatePowerLoss(keepPageCache: true); // the dying process is gone

        await using (var tx = alive.Begin())
        {
            tx.OpenStore<string, int>("s").Update("k00", 2); // over one of the dead record's nodes
            await tx.CommitAsync();
        }
        await alive.RecoverAsync(sweepOrphans: false); // takes over the dead slot

        await using var check = alive.Begin(TransactionMode.ForReading);
        var r = check.OpenStore<string, int>("s");
        Assert.Equal(20, r.CheckInvariants());
        Assert.True(r.TryGetValue("k00", out int k00) && k00 == 2);
        Assert.True(r.TryGetValue("k19", out int k19) && k19 == 0, "half of the dead engine's unacknowledged commit was applied");
    }
}
