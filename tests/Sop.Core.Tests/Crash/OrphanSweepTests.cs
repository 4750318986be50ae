using Microsoft.Extensions.Time.Testing;
using Sop.Hosting;
using Sop.Ids;
using Sop.Storage;
using Sop.Transactions;

namespace Sop.Tests.Crash;

/// <summary>The orphan sweep deletes unreferenced old blobs and never a referenced or young one.</summary>
public sealed class OrphanSweepTests
{
    [Fact]
    public async Task OldUnreferencedBlobs_AreDeleted_ReferencedAndYoungOnesStay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T00:00:00Z"));
        var disk = new InMemoryFileSystem(time);
        await using var engine = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = "/db", FileSystem = disk, Time = time });
        await engine.CreateStoreAsync<int, string>(new StoreOptions("o") { SlotLength = 4 });
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<int, string>("o");
            for (int i = 0; i < 40; i++) s.Add(i, i % 5 == 0 ? new string('x', 6000) : $"v{i}"); // some values in their own blobs
            await tx.CommitAsync();
        }
        var layout = new DataFolderLayout("/db");
        var blobs = new Sop.Blobs.FileBlobStore(disk, layout);
        var oldOrphan = BlobId.New();
        blobs.Write("o", oldOrphan, EnvelopeKind.Node, "{}"u8);
        time.Advance(TimeSpan.FromMinutes(3));
        var youngOrphan = BlobId.New();
        blobs.Write("o", youngOrphan, EnvelopeKind.Value, "1"u8);

        int deleted = await engine.RecoverAsync(sweepOrphans: true);

        Assert.True(deleted >= 1);
        Assert.False(disk.FileExists(layout.BlobPath("o", oldOrphan)));
        Assert.True(disk.FileExists(layout.BlobPath("o", youngOrphan)));
        engine.NodeCache.Clear();
        await using var check = engine.Begin(TransactionMode.ForReading);
        var all = check.OpenStore<int, string>("o").Scan().ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(new string('x', 6000), all[5].Value);
    }

    [Fact]
    public async Task RecoveryLoop_RunsUntilCancelled()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T00:00:00Z"));
        var disk = new InMemoryFileSystem(time);
        await using var engine = await SopEngine.OpenAsync(new SopEngineOptions
        {
            DataPath = "/db", FileSystem = disk, Time = time, RecoveryInterval = TimeSpan.FromSeconds(10), OrphanSweepInterval = TimeSpan.FromSeconds(30),
        });
        await engine.CreateStoreAsync<int, string>(new StoreOptions("o"));
        var orphan = BlobId.New();
        var layout = new DataFolderLayout("/db");
        new Sop.Blobs.FileBlobStore(disk, layout).Write("o", orphan, EnvelopeKind.Node, "{}"u8);
        using var stop = new CancellationTokenSource();
        var loop = engine.RunRecoveryLoopAsync(stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (disk.FileExists(layout.BlobPath("o", orphan)) && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(1);
        }
        Assert.False(disk.FileExists(layout.BlobPath("o", orphan)), "the loop never swept the orphan");
        stop.Cancel();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
