using Sop.Errors;
using Sop.Ids;
using Sop.Registry;
using Sop.Storage;

namespace Sop.Tests.Registry;

/// <summary>
/// Growth with a damaged record on board neither loses it nor blocks: the record moves to the new epoch as it is,
/// stays reported, and a write of its id (as recovery does from the log) repairs it there.
/// </summary>
public sealed class DamagedRecordGrowthTests
{
    [Fact]
    public void GrowthCarriesADamagedRecordOver_AndAWriteOfItsIdRepairsIt()
    {
        var fs = new InMemoryFileSystem();
        var layout = new DataFolderLayout("/db");
        fs.CreateDirectory(layout.StoreDirectory("s"));
        using var registry = RegistryFile.Create(fs, layout, "s");
        var rng = new Random(5);
        Handle NewHandle() => Handle.ForNew(new NodeId(new Guid(RandomBytes(rng))), new BlobId(new Guid(RandomBytes(rng))));
        var first = Enumerable.Range(0, 100).Select(_ => NewHandle()).ToArray();
        registry.Write(first);
        var victim = first[42];

        // damage one byte after the id bytes of the victim's record
        string path = layout.RegistryPath("s", registry.Epoch);
        byte[] file = fs.TryReadAllBytes(path)!;
        byte[] id = new byte[16];
        victim.LogicalId.Value.TryWriteBytes(id);
        int at = Enumerable.Range(0, (file.Length - 4096) / 64).Select(i => 4096 + (i * 64)).First(o => file.AsSpan(o, 16).SequenceEqual(id));
        using (var f = fs.Open(path, FileOpenMode.Open)) f.Write(at + 40, [(byte)(file[at + 40] ^ 0xFF)]);
        Assert.Throws<DataCorruptionException>(() => registry.TryGet(victim.LogicalId, out _));

        int epoch = registry.Epoch;
        registry.Write(Enumerable.Range(0, 1500).Select(_ => NewHandle()).ToArray()); // forces growth
        Assert.True(registry.Epoch > epoch);
        Assert.Throws<DataCorruptionException>(() => registry.TryGet(victim.LogicalId, out _)); // still reported

        registry.Write([victim]); // what recovery's redo does
        Assert.True(registry.TryGet(victim.LogicalId, out var repaired));
        Assert.Equal(victim, repaired);
        foreach (var h in first) Assert.True(registry.TryGet(h.LogicalId, out _));
    }

    private static byte[] RandomBytes(Random rng)
    {
        var b = new byte[16];
        rng.NextBytes(b);
        return b;
    }
}
