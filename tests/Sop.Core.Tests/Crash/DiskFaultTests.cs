using Sop.Errors;
using Sop.Hosting;
using Sop.Storage;
using Sop.Transactions;

namespace Sop.Tests.Crash;

/// <summary>Disk full and I/O errors surface as <see cref="StorageException"/>, roll the transaction back and corrupt nothing.</summary>
public sealed class DiskFaultTests
{
    private readonly InMemoryFileSystem _disk = new();
    private readonly FaultInjectingFileSystem _faulty;

    public DiskFaultTests() => _faulty = new FaultInjectingFileSystem(_disk);

    private Task<SopEngine> OpenAsync(IFileSystem fs) => SopEngine.OpenAsync(new SopEngineOptions { DataPath = "/db", FileSystem = fs }).AsTask();

    private static async Task AddAsync(SopEngine engine, string key)
    {
        await using var tx = engine.Begin();
        tx.OpenStore<string, string>("f").Add(key, "v-" + key);
        await tx.CommitAsync();
    }

    private async Task<List<string>> KeysAfterReopenAsync(SopEngine? previous)
    {
        _disk.SimulatePowerLoss(keepPageCache: true); // the old engine's process "restarts"
        await using var engine = await OpenAsync(_disk);
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<string, string>("f");
        Assert.Equal(engine.GetCount("f"), s.CheckInvariants());
        return s.Scan(keysOnly: true).Select(i => i.Key).ToList();
    }

    [Theory]
    [InlineData("/blobs/")]
    [InlineData("/log/")]
    public async Task DiskFullDuringCommit_RollsBackAndEngineStaysUsable(string where)
    {
        var engine = await OpenAsync(_faulty);
        await engine.CreateStoreAsync<string, string>(new StoreOptions("f") { SlotLength = 4 });
        await AddAsync(engine, "a");
        _faulty.FaultPaths = p => p.Contains(where, StringComparison.Ordinal);
        _faulty.DiskFullOperations = (0, long.MaxValue);
        var e = await Assert.ThrowsAsync<StorageException>(() => AddAsync(engine, "b"));
        Assert.Contains("No space left on device", e.Message);
        _faulty.DiskFullOperations = null;
        await AddAsync(engine, "c"); // the same engine goes on
        await using (var tx = engine.Begin(TransactionMode.ForReading))
            Assert.Equal(["a", "c"], tx.OpenStore<string, string>("f").Scan(keysOnly: true).Select(i => i.Key));
        Assert.Equal(["a", "c"], await KeysAfterReopenAsync(engine));
    }

    [Fact]
    public async Task FsyncOfTheLogFails_EngineStopsCommittingAndReopenRecovers()
    {
        var engine = await OpenAsync(_faulty);
        await engine.CreateStoreAsync<string, string>(new StoreOptions("f") { SlotLength = 4 });
        await AddAsync(engine, "a");
        _faulty.FaultPaths = p => p.Contains("/log/", StringComparison.Ordinal);
        _faulty.FailFlushes = true;
        await Assert.ThrowsAsync<StorageException>(() => AddAsync(engine, "b"));
        _faulty.FailFlushes = false;
        var again = await Assert.ThrowsAsync<StorageException>(() => AddAsync(engine, "c"));
        Assert.Contains("reopen", again.Message);
        var keys = await KeysAfterReopenAsync(engine);
        Assert.Contains("a", keys);
        Assert.DoesNotContain("c", keys);
        Assert.True(keys.SequenceEqual(["a"]) || keys.SequenceEqual(["a", "b"]), string.Join(",", keys)); // b: all or nothing
    }
}

/// <summary>A publish that fails half way stays invisible until another engine completes it from the log.</summary>
public sealed class FailedPublishTests
{
    [Fact]
    public async Task RegistryWriteFailsDuringPublish_OtherEngineCompletesTheDurableCommit()
    {
        var disk = new InMemoryFileSystem();
        var faulty = new FaultInjectingFileSystem(disk);
        await using var healthy = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = "/db", FileSystem = disk });
        var failing = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = "/db", FileSystem = faulty });
        await healthy.CreateStoreAsync<string, string>(new StoreOptions("p") { SlotLength = 4 });
        await using (var tx = failing.Begin())
        {
            var s = tx.OpenStore<string, string>("p");
            for (int i = 0; i < 10; i++) s.Add($"k{i}", "v"); // splits: several registry records to publish
            faulty.FaultPaths = p => p.EndsWith(".reg", StringComparison.Ordinal);
            faulty.DiskFullOperations = (0, long.MaxValue);
            await Assert.ThrowsAsync<StorageException>(() => tx.CommitAsync().AsTask());
        }
        // the commit is durable: the healthy engine waits out the open publish, takes the slot over and completes it
        var read = Task.Run(async () =>
        {
            await using var tx = healthy.Begin(TransactionMode.ForReading);
            var s = tx.OpenStore<string, string>("p");
            return (s.CheckInvariants(), s.Scan(keysOnly: true).Count());
        });
        var (items, scanned) = await read.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(10, items);
        Assert.Equal(10, scanned);
        Assert.Equal(10, healthy.GetCount("p"));
        await Assert.ThrowsAsync<StorageException>(async () =>
        {
            await using var tx = failing.Begin();
            tx.OpenStore<string, string>("p").Add("late", "v");
        });
    }
}
