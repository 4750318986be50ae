using Sop.Errors;
using Sop.Storage;
using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Engine;

/// <summary>Damaged files are reported as <see cref="DataCorruptionException"/>, never used silently.</summary>
public sealed class CorruptionDetectionTests
{
    [Fact]
    public async Task FlippedByteInNodeBlob_ReadReportsCorruption()
    {
        using var h = new EngineHarness(StoreKind.File);
        await using (var engine = await h.OpenAsync())
        {
            await engine.CreateStoreAsync<string, int>(new StoreOptions("s"));
            await using var tx = engine.Begin();
            tx.OpenStore<string, int>("s").Add("a", 1);
            await tx.CommitAsync();
        }
        var layout = new DataFolderLayout(h.DataPath);
        var blobs = Directory.GetFiles(layout.BlobsDirectory("s"), "*", SearchOption.AllDirectories);
        var nodeBlob = Assert.Single(blobs); // the root leaf (the empty root was reclaimed at the checkpoint)
        byte[] bytes = File.ReadAllBytes(nodeBlob);
        bytes[^3] ^= 0x20;
        File.WriteAllBytes(nodeBlob, bytes);
        await using (var engine = await h.OpenAsync())
        {
            await using var tx = engine.Begin(TransactionMode.ForReading);
            var s = tx.OpenStore<string, int>("s");
            var e = Assert.Throws<DataCorruptionException>(() => s.TryGetValue("a", out _));
            Assert.Contains("checksum", e.Message);
        }
    }

    [Fact]
    public async Task FlippedByteInRegistryRecord_ReadReportsCorruption()
    {
        using var h = new EngineHarness(StoreKind.File);
        await using (var engine = await h.OpenAsync())
        {
            await engine.CreateStoreAsync<string, int>(new StoreOptions("s"));
            await using var tx = engine.Begin();
            tx.OpenStore<string, int>("s").Add("a", 1);
            await tx.CommitAsync();
        }
        var layout = new DataFolderLayout(h.DataPath);
        string registry = layout.RegistryPath("s", 1);
        byte[] bytes = File.ReadAllBytes(registry);
        int live = Enumerable.Range(0, (bytes.Length - 4096) / 64).First(i => bytes.AsSpan(4096 + (i * 64), 64).IndexOfAnyExcept((byte)0) >= 0);
        bytes[4096 + (live * 64) + 20] ^= 0x01;
        File.WriteAllBytes(registry, bytes);
        await using (var engine = await h.OpenAsync())
        {
            await using var tx = engine.Begin(TransactionMode.ForReading);
            var s = tx.OpenStore<string, int>("s");
            Assert.Throws<DataCorruptionException>(() => s.TryGetValue("a", out _));
        }
    }

    [Fact]
    public async Task DamagedFolderHeader_OpenReportsCorruption()
    {
        using var h = new EngineHarness(StoreKind.File);
        await (await h.OpenAsync()).DisposeAsync();
        var layout = new DataFolderLayout(h.DataPath);
        byte[] bytes = File.ReadAllBytes(layout.HeaderPath);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(layout.HeaderPath, bytes);
        await Assert.ThrowsAsync<DataCorruptionException>(() => h.OpenAsync().AsTask());
    }
}
