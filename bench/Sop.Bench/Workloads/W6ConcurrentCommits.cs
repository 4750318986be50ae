using System.Diagnostics;
using System.Globalization;
using Sop.Errors;
using Sop.Transactions;

namespace Sop.Bench.Workloads;

/// <summary>
/// W6: 1, 4 and 16 concurrent writers (tasks), one row (and one workload) each, on a fresh store per row. Each row
/// runs M transactions in all; each adds one distinct new key and commits durably. The store is pre-loaded (unmeasured, in its own engine
/// session) with N/10 random keys, so the writers' keys, spread over the same key range, mostly land in different
/// leaves. A transaction that loses with <see cref="TransactionConflictException"/>, thrown by an operation or by
/// <c>CommitAsync</c>, is retried from the start; those retries are counted by where they were thrown. Conflicts the
/// engine resolves inside the commit (its in-flight merge) never reach the caller and are not counted here. The
/// engine runs on a <see cref="CountingFileSystem"/>, so the note gives the fsyncs per commit (group commit shares
/// one fsync among concurrent commits).
/// </summary>
internal sealed class W6ConcurrentCommits(string id, string label, int writers, bool clustered = false) : IWorkload
{
    /// <summary>The three rows. The 16-writer row keeps the name W6 of performance-targets.md; its <c>--only</c> id is W6C.</summary>
    public static IReadOnlyList<W6ConcurrentCommits> Rows { get; } =
    [
        new("W6A", "W6a", 1),
        new("W6B", "W6b", 4),
        new("W6C", "W6", 16),
        new("W6RA", "W6a", 1, clustered: true),
        new("W6RB", "W6b", 4, clustered: true),
        new("W6RC", "W6", 16, clustered: true),
    ];

    /// <summary>Surfaced conflicts one transaction may hit before the row gives up (a livelock, not contention).</summary>
    private const int MaxAttempts = 1_000;

    public string Id => id;

    public string Title => $"{label} durable commits, {writers} writer{(writers == 1 ? "" : "s")}{(clustered ? ", clustered (Redis)" : "")}";

    public int? Slot(BenchContext ctx) => ctx.Args.SlotForDurable;

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext ctx) =>
        [await RunRowAsync(ctx, clustered && ctx.Args.MultiHost ? Title + ", multi-host" : Title, writers, clustered ? ctx.Args.Redis : null)];

    private static async Task<BenchResult> RunRowAsync(BenchContext ctx, string title, int writerCount, string? redis)
    {
        int slot = ctx.Args.SlotForDurable;
        int preload = ctx.N / 10;
        string folder = ctx.NewFolder($"w6-{writerCount}w-slot{slot}{(redis is null ? "" : "-redis")}");

        // Keys 0..preload+M-1 shuffled: the first `preload` are loaded up front, the other M are the writers' new keys.
        // Both sets are spread uniformly over the same key range.
        string[] all = ctx.ShuffledKeys(preload + ctx.M, salt: 6);
        string[] preloadKeys = all[..preload];
        string[] keys = all[preload..];
        byte[][] values = ctx.Values(ctx.M, salt: 6);
        if (preload > 0)
        {
            await using var loader = await BenchContext.OpenAsync(folder);
            await BenchContext.CreateStoreAsync(loader, slot);
            await BenchContext.BulkInsertAsync(loader, preloadKeys, ctx.Values(preload, salt: 60));
        }

        var latencies = new Latencies(ctx.M);
        long opConflicts = 0, commitConflicts = 0;
        int maxAttempts = 0;
        int next = -1;
        TimeSpan elapsed;
        long count;
        SyncCounts syncs;
        var fs = new CountingFileSystem();
        using var roundTrips = new RedisRoundTrips();
        await using (var engine = await BenchContext.OpenAsync(folder, fs, redis, ctx.Args.MultiHost))
        {
            if (preload > 0)
            {
                string? wrong = await ScanCheck.VerifyAsync(engine, preload, keysOnly: true); // warm-up: nodes into L1
                if (wrong is not null) return new BenchResult(title, slot, 0, TimeSpan.Zero, "WRONG after pre-load: " + wrong, Failed: true);
            }
            else
            {
                await BenchContext.CreateStoreAsync(engine, slot);
            }
            var before = SyncCounts.Of(fs);
            roundTrips.Reset();
            var total = Stopwatch.StartNew();
            var writers = new Task[writerCount];
            for (int w = 0; w < writerCount; w++)
            {
                writers[w] = Task.Run(async () =>
                {
                    while (true)
                    {
                        int i = Interlocked.Increment(ref next);
                        if (i >= keys.Length) return;
                        long start = Stopwatch.GetTimestamp();
                        for (int attempt = 1; ; attempt++)
                        {
                            bool committing = false;
                            try
                            {
                                await using var tx = await engine.BeginAsync(TransactionMode.ForWriting);
                                var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
                                if (!store.Add(keys[i], values[i])) throw new InvalidOperationException($"Add({keys[i]}) returned false for a new key");
                                committing = true;
                                await tx.CommitAsync();
                                InterlockedMax(ref maxAttempts, attempt);
                                break;
                            }
                            catch (TransactionConflictException) when (attempt < MaxAttempts)
                            {
                                Interlocked.Increment(ref committing ? ref commitConflicts : ref opConflicts);
                            }
                        }
                        latencies.AddConcurrent(start);
                    }
                });
            }
            await Task.WhenAll(writers);
            elapsed = total.Elapsed;
            syncs = SyncCounts.Of(fs) - before;
            roundTrips.Stop();
            count = engine.GetCount(BenchContext.StoreName);
        }
        var result = new BenchResult(title, slot, ctx.M, elapsed, "");
        long expected = (long)preload + ctx.M;
        if (count != expected) return result with { Note = $"WRONG COUNT: store holds {count}, expected {expected}", Failed = true };
        long retries = opConflicts + commitConflicts;
        string redisNote = redis is null ? "" : $"Redis round trips per commit {roundTrips.PerCommit(ctx.M)}; ";
        string note = string.Create(CultureInfo.InvariantCulture,
            $"{FsyncLimit.Ratio(ctx, result.OpsPerSecond)}; {syncs.PerCommit(ctx.M)}; {redisNote}"
            + $"conflicts surfaced and retried: {retries} ({opConflicts} by an operation, {commitConflicts} by CommitAsync), max {maxAttempts} attempt{(maxAttempts == 1 ? "" : "s")}; "
            + $"latency incl. retries {latencies.PercentileSummary()}; pre-loaded {preload:N0} random keys (N/10) so writers mostly hit different leaves");
        return result with { Note = note };
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen)
        {
            int was = Interlocked.CompareExchange(ref target, value, seen);
            if (was == seen) return;
            seen = was;
        }
    }
}
