using Sop.Hosting;
using Sop.Storage;
using Sop.Transactions;

namespace Sop.Tests.Regressions;

/// <summary>
/// Bug (found in review): recovery redid writer slots one after another, so when engine B's commit came before engine
/// A's on the same node, A's records (slot 0, redone first) did not match their base version and were skipped, and the
/// blobs they had made obsolete were deleted although the registry then pointed at them: acknowledged commits lost,
/// store unreadable.
/// </summary>
public sealed class CrossSlotReplayOrderRegressionTests
{
    [Fact]
    public async Task InterleavedCommitsOfTwoEngines_SurviveAPowerLoss()
    {
        var disk = new InMemoryFileSystem();
        var options = new SopEngineOptions { DataPath = "/db", FileSystem = disk };
        var a = await SopEngine.OpenAsync(options);
        var b = await SopEngine.OpenAsync(options);
        Assert.Equal(0, a.WriterSlot);
        await a.CreateStoreAsync<string, string>(new StoreOptions("s"));
        await a.CheckpointAsync();
        await b.CheckpointAsync();
        await Commit(b, "x", "from-B-first");
        await Commit(a, "x", "from-A-second");
        await Commit(a, "y", "A-y");
        await Commit(b, "z", "B-z");

        disk.SimulatePowerLoss(); // registry writes and blob files were only in the page cache

        await using var c = await SopEngine.OpenAsync(options);
        await using var tx = c.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<string, string>("s");
        Assert.Equal(3, s.CheckInvariants());
        Assert.Equal([("x", "from-A-second"), ("y", "A-y"), ("z", "B-z")], s.Scan().Select(i => (i.Key, i.Value!)));
        Assert.Equal(3, c.GetCount("s"));
    }

    private static async Task Commit(SopEngine engine, string key, string value)
    {
        await using var tx = engine.Begin();
        tx.OpenStore<string, string>("s").Upsert(key, value);
        await tx.CommitAsync();
    }
}
