using Microsoft.Extensions.Time.Testing;
using Sop.Hosting;
using Sop.Storage;
using Sop.Transactions;
using Sop.Trees;
using Xunit.Abstractions;

namespace Sop.Tests.Crash;

/// <summary>
/// Crashes a seeded commit workload at every numbered I/O operation (commit, checkpoint and recovery steps alike),
/// then reopens the folder with a fresh engine: every acknowledged commit must be fully present, the one in flight
/// fully present or fully absent, the tree valid and its count exact.
/// </summary>
public sealed class CrashAtEveryOperationTests(ITestOutputHelper output)
{
    private const string Store = "c";

    public enum CrashKind
    {
        /// <summary>Power cut: every write not yet fsynced and every unsynced folder change is lost.</summary>
        PowerLoss,

        /// <summary>kill -9: the page cache survives, including a torn half of the write that was in progress.</summary>
        KillWithTornWrite,
    }

    [Theory]
    [InlineData(CrashKind.PowerLoss, 1, 4)]
    [InlineData(CrashKind.PowerLoss, 2, 500)]
    [InlineData(CrashKind.PowerLoss, 7, 5)]
    [InlineData(CrashKind.PowerLoss, 8, 8)]
    [InlineData(CrashKind.KillWithTornWrite, 3, 4)]
    [InlineData(CrashKind.KillWithTornWrite, 4, 500)]
    [InlineData(CrashKind.KillWithTornWrite, 9, 5)]
    [InlineData(CrashKind.KillWithTornWrite, 10, 8)]
    [InlineData(CrashKind.PowerLoss, 14, 4, 0L)]
    [InlineData(CrashKind.KillWithTornWrite, 15, 6, 0L)]
    public async Task CrashAnywhere_ReopenShowsExactlyTheAcknowledgedCommits(CrashKind kind, int seed, int slotLength, long imagesInRecordMax = 1 << 20)
    {
        s_imagesInRecordMax.Value = imagesInRecordMax; // 0: every commit syncs its blobs and logs only handles
        long total = await CountOperations(seed, slotLength);
        Assert.True(total > 50, $"workload too small ({total} operations)");
        for (long crashAt = 1; crashAt <= total; crashAt++)
        {
            var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T00:00:00Z"));
            s_time.Value = time;
            var disk = new InMemoryFileSystem(time);
            var faulty = new FaultInjectingFileSystem(disk) { CrashAtOperation = crashAt, TornWriteFraction = kind == CrashKind.KillWithTornWrite ? 0.5 : 0 };
            var outcome = await RunWorkload(faulty, seed, slotLength);
            // Blob ids are random, so how many blob folders get created (and so the operation count) varies a little
            // between runs: a crash point past the end of this run just checks the completed state.
            if (!faulty.Crashed) Assert.True(crashAt > total - 20, $"seed {seed}: operation {crashAt} of {total} was never reached");
            if (kind == CrashKind.PowerLoss) disk.SimulatePowerLoss();
            else disk.SimulatePowerLoss(keepPageCache: true);
            await Verify(disk, outcome, $"{kind}, seed {seed}, slot {slotLength}, crash at operation {crashAt} of {total}");
        }
        output.WriteLine($"{kind}: {total} crash points verified");
    }

    [Theory]
    [InlineData(5, 4)]
    [InlineData(6, 500)]
    public async Task CrashDuringRecovery_SecondRecoveryStillExact(int seed, int slotLength)
    {
        long total = await CountOperations(seed, slotLength);
        var rng = new Random(seed);
        for (int trial = 0; trial < 40; trial++)
        {
            long crashAt = 1 + rng.NextInt64(total);
            var disk = new InMemoryFileSystem();
            var outcome = await RunWorkload(new FaultInjectingFileSystem(disk) { CrashAtOperation = crashAt }, seed, slotLength);
            disk.SimulatePowerLoss();
            // Measure how many operations a recovery takes, then crash inside it at a random one.
            var probe = new FaultInjectingFileSystem(disk.Clone());
            await (await SopEngine.OpenAsync(Options(probe))).DisposeAsync();
            long recoveryCrash = 1 + rng.NextInt64(Math.Max(1, probe.Operations));
            var faultyRecovery = new FaultInjectingFileSystem(disk) { CrashAtOperation = recoveryCrash };
            try
            {
                await (await SopEngine.OpenAsync(Options(faultyRecovery))).DisposeAsync();
            }
            catch (Exception) when (faultyRecovery.Crashed)
            {
            }
            disk.SimulatePowerLoss();
            await Verify(disk, outcome, $"seed {seed}, crash at {crashAt}, recovery crash at {recoveryCrash}");
        }
    }

    private sealed class Outcome
    {
        public bool StoreAcknowledged;
        public SortedDictionary<string, string> Acknowledged = new(Utf8OrdinalComparer.Instance);
        public SortedDictionary<string, string>? InFlight;
    }

    private static readonly AsyncLocal<long?> s_imagesInRecordMax = new();
    private static readonly AsyncLocal<FakeTimeProvider?> s_time = new();

    private static SopEngineOptions Options(IFileSystem fs) => new()
    {
        DataPath = "/db",
        FileSystem = fs,
        CheckpointLogBytes = 1 << 16,
        CommitRecordImagesMaxBytes = s_imagesInRecordMax.Value ?? SopDefaults.CommitRecordImagesMaxBytes,
        Time = (TimeProvider?)s_time.Value ?? TimeProvider.System,
    };

    private static async Task<long> CountOperations(int seed, int slotLength)
    {
        var counter = new FaultInjectingFileSystem(new InMemoryFileSystem());
        var outcome = await RunWorkload(counter, seed, slotLength);
        Assert.True(outcome.InFlight is null && outcome.StoreAcknowledged, "the fault-free run must complete");
        return counter.Operations;
    }

    /// <summary>Creates the store, then 12 commits of 1-8 random adds/updates/removes (values up to 6 KiB so some go to value blobs), a checkpoint in the middle.</summary>
    private static async Task<Outcome> RunWorkload(FaultInjectingFileSystem fs, int seed, int slotLength)
    {
        var rng = new Random(seed);
        var o = new Outcome();
        SopEngine? engine = null;
        try
        {
            engine = await SopEngine.OpenAsync(Options(fs));
            await engine.CreateStoreAsync<string, string>(new StoreOptions(Store) { SlotLength = slotLength });
            o.StoreAcknowledged = true;
            for (int c = 0; c < 12; c++)
            {
                var next = new SortedDictionary<string, string>(o.Acknowledged, Utf8OrdinalComparer.Instance);
                await using var tx = engine.Begin();
                var tree = tx.OpenStore<string, string>(Store);
                int ops = 1 + rng.Next(8);
                for (int i = 0; i < ops; i++)
                {
                    string key = "k" + rng.Next(40).ToString("D3");
                    string value = new('v', rng.Next(10) == 0 ? 6000 : rng.Next(1, 30));
                    switch (rng.Next(3))
                    {
                        case 0:
                            if (tree.Add(key, value)) next.Add(key, value);
                            break;
                        case 1:
                            tree.Upsert(key, value);
                            next[key] = value;
                            break;
                        default:
                            tree.Remove(key);
                            next.Remove(key);
                            break;
                    }
                }
                o.InFlight = next;
                await tx.CommitAsync();
                o.Acknowledged = next;
                o.InFlight = null;
                if (c == 6) await engine.CheckpointAsync();
            }
            await engine.DisposeAsync();
        }
        catch (Exception) when (fs.Crashed)
        {
            // the process "died" here; the engine object is abandoned like a killed process's memory
        }
        return o;
    }

    private static async Task Verify(InMemoryFileSystem disk, Outcome o, string where)
    {
        await using var engine = await SopEngine.OpenAsync(Options(disk));
        var info = engine.TryGetStoreInfo(Store);
        if (!o.StoreAcknowledged)
        {
            if (info is null) return;
            Assert.True(engine.GetCount(Store) == 0, $"a store whose creation was not acknowledged has items ({where})");
            return;
        }
        Assert.True(info is not null, $"acknowledged store is missing ({where})");
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var tree = tx.OpenStore<string, string>(Store);
        long items = tree.CheckInvariants();
        var content = tree.Scan().Select(i => new KeyValuePair<string, string>(i.Key, i.Value!)).ToList();
        bool isAck = content.SequenceEqual(o.Acknowledged);
        bool isInFlight = o.InFlight is not null && content.SequenceEqual(o.InFlight);
        Assert.True(isAck || isInFlight,
            $"content after recovery is neither the acknowledged state ({o.Acknowledged.Count} items) nor the in-flight one ({o.InFlight?.Count}); found {content.Count} ({where})");
        Assert.True(items == content.Count && engine.GetCount(Store) == content.Count, $"count {engine.GetCount(Store)} != {content.Count} items ({where})");

        if (s_time.Value is not { } time) return;
        // The orphan sweep (once every blob is past its grace period) removes what the crash left and nothing else.
        time.Advance(TimeSpan.FromMinutes(5));
        await engine.RecoverAsync(sweepOrphans: true);
        Assert.True(engine.FindOrphanBlobs(Store).Count == 0, $"orphans remain after the sweep ({where})");
        engine.NodeCache.Clear();
        await using var again = engine.Begin(TransactionMode.ForReading);
        var afterSweep = again.OpenStore<string, string>(Store).Scan().Select(i => new KeyValuePair<string, string>(i.Key, i.Value!)).ToList();
        Assert.True(afterSweep.SequenceEqual(content), $"the orphan sweep deleted referenced data ({where})");
    }
}
