using Sop.Hosting;
using Sop.Log;
using Sop.Storage;
using Sop.Transactions;

namespace Sop.Tests.Log;

/// <summary>
/// The engine on the preallocated commit log: a small commit's one sync is an fdatasync, and a folder whose log
/// segments end at their last record (as the log wrote them before preallocation) recovers and goes on.
/// </summary>
public sealed class PreallocatedLogEngineTests
{
    private const string Store = "s";
    private readonly InMemoryFileSystem _disk = new();

    private Task<SopEngine> OpenAsync() => SopEngine.OpenAsync(new SopEngineOptions { DataPath = "/db", FileSystem = _disk }).AsTask();

    private static async Task AddAsync(SopEngine engine, string key)
    {
        await using var tx = engine.Begin();
        tx.OpenStore<string, string>(Store).Add(key, "v-" + key);
        await tx.CommitAsync();
    }

    private static async Task<List<string>> KeysAsync(SopEngine engine)
    {
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<string, string>(Store);
        Assert.Equal(engine.GetCount(Store), s.CheckInvariants());
        return s.Scan(keysOnly: true).Select(i => i.Key).ToList();
    }

    [Fact]
    public async Task SmallCommit_SyncsOnceWithFdatasync()
    {
        await using var engine = await OpenAsync();
        await engine.CreateStoreAsync<string, string>(new StoreOptions(Store) { SlotLength = 8 });
        await AddAsync(engine, "warm-up");
        long syncs = _disk.SyncCount, dataSyncs = _disk.DataSyncCount;
        for (int i = 0; i < 5; i++) await AddAsync(engine, $"k{i}");
        Assert.Equal(5, _disk.DataSyncCount - dataSyncs);
        Assert.Equal(5, _disk.SyncCount - syncs);
    }

    [Fact]
    public async Task FolderWithUnpreallocatedLog_RecoversAndTakesNewCommits()
    {
        var abandoned = await OpenAsync();
        await abandoned.CreateStoreAsync<string, string>(new StoreOptions(Store) { SlotLength = 4 });
        foreach (var key in new[] { "a", "b", "c", "d", "e" }) await AddAsync(abandoned, key);
        _disk.SimulatePowerLoss(); // the commits now live only in the log: registry and blobs were never synced
        int trimmed = TrimLogSegmentsToTheirRecords("/db");
        Assert.True(trimmed > 0, "no log segment held records");

        await using (var engine = await OpenAsync())
        {
            Assert.Equal(["a", "b", "c", "d", "e"], await KeysAsync(engine));
            await AddAsync(engine, "f");
        }
        _disk.SimulatePowerLoss();
        await using var again = await OpenAsync();
        Assert.Equal(["a", "b", "c", "d", "e", "f"], await KeysAsync(again));
    }

    /// <summary>Cuts every log segment of the folder back to the end of its records, durably; returns how many held records.</summary>
    private int TrimLogSegmentsToTheirRecords(string root)
    {
        var layout = new DataFolderLayout(root);
        int trimmed = 0;
        foreach (string slotDir in _disk.ListDirectories(layout.LogsDirectory))
        {
            string dir = Path.Combine(layout.LogsDirectory, slotDir);
            foreach (string name in _disk.ListFiles(dir))
            {
                if (DataFolderLayout.LogSegmentFirstSeq(name) is not { } first) continue;
                using var segment = _disk.Open(Path.Combine(dir, name), FileOpenMode.Open);
                long end = LogSegmentFile.ReadRecords(segment, ref first, []);
                segment.SetLength(end);
                segment.Flush();
                if (end > 0) trimmed++;
            }
        }
        return trimmed;
    }
}
