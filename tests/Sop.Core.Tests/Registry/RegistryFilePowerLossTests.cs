using Sop.Errors;
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
        if (!registry.TryGet(expected.LogicalId, out var actual)) Assert.Fail($"{context}: id {expected.LogicalId} missing");
        if (expected != actual) Assert.Fail($"{context}: id {expected.LogicalId} expected {expected} but found {actual}");
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
        foreach (var h in volatileOnes)
            if (reopened.TryGet(h.LogicalId, out _)) Assert.Fail($"unflushed id {h.LogicalId} survived");
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
        Assert.Equal(new[] { $"registry.{epoch:D6}.reg" }, fs.ListFiles(_layout.StoreDirectory(Store)).Where(n => n.EndsWith(".reg", StringComparison.Ordinal)));
        foreach (var h in hs) AssertFound(reopened, h, "after growth and power loss");
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void CrashAtAnyStepOfGrowth_LosesNoFlushedHandle(bool powerLoss, bool tornWrite)
    {
        // A dry run counts the I/O operations of the growing write; then the crash hits before each interesting one:
        // the first few (create, set-length, header) and the last few (flush, seal, flush, folder sync, delete of the
        // old epoch), and every 64th record copy in between.
        int count = RunGrowth(crashAt: null, powerLoss, tornWrite);
        Assert.True(count > 768, $"a growth of 768 records took only {count} operations");
        var points = Enumerable.Range(1, count).Where(k => k <= 6 || k > count - 8 || k % 64 == 0);
        foreach (int k in points) RunGrowth(k, powerLoss, tornWrite);
    }

    /// <summary>
    /// Fills a registry to its growth threshold and flushes it, then writes one more handle (which grows the table)
    /// with a crash at I/O operation <paramref name="crashAt"/> (1-based) of that write, then reopens and checks that
    /// every flushed handle is there. Returns how many operations the growing write took.
    /// </summary>
    private int RunGrowth(int? crashAt, bool powerLoss, bool tornWrite)
    {
        var mem = new InMemoryFileSystem();
        var rnd = new Random(4);
        var durable = NewHandles(rnd, 768); // 3/4 of 1024: the next insert grows the table
        var extra = Handle.ForNew(NewNodeId(rnd), NewBlobId(rnd));
        var fs = new FaultInjectingFileSystem(mem) { TornWriteFraction = tornWrite ? 0.5 : 0 };
        var registry = CreateDurable(fs);
        registry.Write(durable);
        registry.Flush();
        Assert.Equal(1, registry.Epoch);

        long before = fs.Operations;
        fs.CrashAtOperation = before + crashAt;
        string context = $"{(powerLoss ? "power loss" : "process crash")}{(tornWrite ? " with torn write" : "")} at growth operation {crashAt}";
        try
        {
            registry.Write([extra]);
            Assert.Null(crashAt);
            Assert.Equal(2, registry.Epoch);
        }
        catch (IOException) when (fs.Crashed)
        {
        }
        finally
        {
            registry.Dispose();
        }
        int operations = (int)(fs.Operations - before);
        if (powerLoss) mem.SimulatePowerLoss();

        using var reopened = RegistryFile.Open(mem, _layout, Store);
        foreach (var h in durable) AssertFound(reopened, h, context);
        bool hasExtra;
        try
        {
            hasExtra = reopened.TryGet(extra.LogicalId, out var found);
            if (hasExtra && found != extra) Assert.Fail($"{context}: extra handle came back as {found}");
        }
        catch (DataCorruptionException) when (tornWrite && !powerLoss && crashAt is not null)
        {
            hasExtra = false; // its own record was torn; recovery rewrites it from the commit log
        }
        var scan = reopened.Scan();
        Assert.True(scan.Count == durable.Length + (hasExtra ? 1 : 0), $"{context}: scan has {scan.Count} handles");
        string[] files = mem.ListFiles(_layout.StoreDirectory(Store)).Where(n => n.EndsWith(".reg", StringComparison.Ordinal)).ToArray();
        Assert.True(files.SequenceEqual([$"registry.{reopened.Epoch:D6}.reg"]), $"{context}: files {string.Join(", ", files)}");

        reopened.Write([extra]);
        AssertFound(reopened, extra, $"{context}, written again");
        return operations;
    }
}
