using Sop.Ids;
using Sop.Registry;
using Sop.Storage;

namespace Sop.Tests.Registry;

/// <summary>
/// What of a <see cref="RegistryFile"/> survives a power loss, on the <see cref="InMemoryFileSystem"/> model:
/// flushed writes survive, unflushed ones vanish, and a growth cut at any step loses nothing that was flushed.
/// Each test uses a fresh in-memory file system; the store folder is made durable before the registry is used.
/// </summary>
public sealed class RegistryFilePowerLossTests
{
    private const string Store = "orders";
    private readonly DataFolderLayout _layout = new("/sop-tests-" + Guid.NewGuid().ToString("N"));

    private static Handle[] NewHandles(Random rnd, int count) =>
        Enumerable.Range(0, count).Select(_ => Handle.ForNew(NewNodeId(rnd), NewBlobId(rnd))).ToArray();

    private static NodeId NewNodeId(Random rnd)
    {
        Span<byte> b = stackalloc byte[16];
        rnd.NextBytes(b);
        return new NodeId(new Guid(b));
    }

    private static BlobId NewBlobId(Random rnd)
    {
        Span<byte> b = stackalloc byte[16];
        rnd.NextBytes(b);
        return new BlobId(new Guid(b));
    }

    /// <summary>A new store folder and an empty registry in it, both durable.</summary>
    private RegistryFile CreateDurable(IFileSystem fs)
    {
        fs.CreateDirectory(_layout.StoreDirectory(Store));
        var registry = RegistryFile.Create(fs, _layout, Store);
        fs.SyncAll(_layout.Root);
        return registry;
    }

    private static void AssertFound(IRegistry registry, Handle expected, string context)
    {
        Assert.True(registry.TryGet(expected.LogicalId, out var actual), $"{context}: id {expected.LogicalId} missing");
        Assert.True(expected == actual, $"{context}: id {expected.LogicalId} expected {expected} but found {actual}");
    }

    [Fact]
    public void FlushedWrites_SurvivePowerLoss()
    {
        var fs = new InMemoryFileSystem();
        var hs = NewHandles(new Random(1), 100);
        using (var registry = CreateDurable(fs))
        {
            registry.Write(hs);
            registry.Flush();
        }
        fs.SimulatePowerLoss();
        using var reopened = RegistryFile.Open(fs, _layout, Store);
        foreach (var h in hs) AssertFound(reopened, h, "after power loss");
        Assert.Equal(hs.Length, reopened.Scan().Count);
    }

    [Fact]
    public void UnflushedWrites_AreLostButFlushedOnesStay()
    {
        var fs = new InMemoryFileSystem();
        var rnd = new Random(2);
        var durable = NewHandles(rnd, 100);
        var volatileOnes = NewHandles(rnd, 50);
        using (var registry = CreateDurable(fs))
        {
            registry.Write(durable);
            registry.Flush();
            registry.Write(volatileOnes);
            registry.Write(durable.Take(10).Select(h => h.Flip(NewBlobId(rnd))).ToArray());
            registry.Write(durable.Skip(10).Take(10).Select(h => h.AsDeleted()).ToArray());
        }
        fs.SimulatePowerLoss();
        using var reopened = RegistryFile.Open(fs, _layout, Store);
        foreach (var h in durable) AssertFound(reopened, h, "flushed");
        foreach (var h in volatileOnes) Assert.False(reopened.TryGet(h.LogicalId, out _), $"unflushed id {h.LogicalId} survived");
        Assert.Equal(durable.Length, reopened.Scan().Count);
    }

    [Fact]
    public void FlushedWritesAcrossGrowth_SurvivePowerLoss()
    {
        var fs = new InMemoryFileSystem();
        var hs = NewHandles(new Random(3), 2_000);
        int epoch;
        using (var registry = CreateDurable(fs))
        {
            registry.Write(hs);
            registry.Flush();
            epoch = registry.Epoch;
        }
        Assert.True(epoch > 1);
        fs.SimulatePowerLoss();
        using var reopened = RegistryFile.Open(fs, _layout, Store);
        Assert.Equal(epoch, reopened.Epoch);
        Assert.Equal(new[] { $"registry.{epoch:D6}.reg" }, fs.ListFiles(_layout.StoreDirectory(Store)));
        foreach (var h in hs) AssertFound(reopened, h, "after growth and power loss");
    }

    [Fact]
    public void PowerLossAtAnyStepOfGrowth_LosesNoFlushedHandle()
    {
        // One dry run counts the steps of a growth; then the power is cut before each interesting one.
        var steps = RunGrowth(crashAt: null);
        var points = Enumerable.Range(0, steps.Count)
            .Where(i => !steps[i].StartsWith("Write ", StringComparison.Ordinal) || i < 4 || i > steps.Count - 4 || i % 97 == 0)
            .ToList();
        Assert.Contains(steps, s => s.StartsWith("SyncDirectory", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.StartsWith("DeleteFile registry.000001.reg", StringComparison.Ordinal));
        foreach (int point in points) RunGrowth(point);
    }

    /// <summary>
    /// Fills a registry to just below its growth threshold and flushes it, then writes one more handle (which grows the
    /// table) with the power cut before step <paramref name="crashAt"/> of that write; reopens and checks.
    /// Returns the steps of the growing write.
    /// </summary>
    private List<string> RunGrowth(int? crashAt)
    {
        var mem = new InMemoryFileSystem();
        var rnd = new Random(4);
        var durable = NewHandles(rnd, 768); // 3/4 of 1024: the next insert grows the table
        var extra = Handle.ForNew(NewNodeId(rnd), NewBlobId(rnd));
        var fs = new CrashingFileSystem(mem);
        var registry = CreateDurable(fs);
        registry.Write(durable);
        registry.Flush();
        Assert.Equal(1, registry.Epoch);

        int before = fs.Steps.Count;
        fs.CrashAt = before + crashAt;
        string context = "dry run";
        try
        {
            registry.Write([extra]);
            Assert.Null(crashAt);
            Assert.Equal(2, registry.Epoch);
        }
        catch (CrashingFileSystem.CrashException)
        {
            Assert.NotNull(crashAt);
            context = $"power cut before growth step {crashAt} ({fs.Steps.Count - before} ran; last: "
                + $"{(fs.Steps.Count > before ? fs.Steps[^1] : "none")})";
        }
        finally
        {
            registry.Dispose();
        }
        if (crashAt is null) mem.SimulatePowerLoss(); // the dry run checks a power loss after the whole write

        using var reopened = RegistryFile.Open(mem, _layout, Store);
        foreach (var h in durable) AssertFound(reopened, h, context);
        bool hasExtra = reopened.TryGet(extra.LogicalId, out var found);
        Assert.True(!hasExtra || found == extra, $"{context}: extra handle came back as {found}");
        var scan = reopened.Scan();
        Assert.True(scan.Count == durable.Length + (hasExtra ? 1 : 0), $"{context}: scan has {scan.Count} handles");
        string[] files = mem.ListFiles(_layout.StoreDirectory(Store)).ToArray();
        Assert.True(files.SequenceEqual([$"registry.{reopened.Epoch:D6}.reg"]), $"{context}: files {string.Join(", ", files)}");

        reopened.Write([extra]);
        AssertFound(reopened, extra, $"{context}, written again");
        return fs.Steps.Skip(before).ToList();
    }
}
