using System.Diagnostics;
using Sop.Transactions;

namespace Sop.Bench.Workloads;

/// <summary>
/// W7: one writer runs M transactions, each replacing the value of one existing key (random, seeded) of the
/// populated N-item store, each commit durable. The nodes are loaded into L1 by an unmeasured scan first.
/// Reported as a ratio to the fsync limit of the same run, with the fsyncs per commit counted by a
/// <see cref="CountingFileSystem"/>.
/// </summary>
/// <remarks>Runs last: it changes the populated folder that W2-W4 read (when the slot lengths match).</remarks>
internal sealed class W7DurableUpdate : IWorkload
{
    public string Id => "W7";

    public string Title => "W7 durable update of an existing key";

    public int? Slot(BenchContext ctx) => ctx.Args.SlotForDurable;

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext ctx)
    {
        int slot = ctx.Args.SlotForDurable;
        string folder = await ctx.GetPopulatedFolderAsync(slot);
        var random = new Random(ctx.Args.Seed + 7);
        var keys = new string[ctx.M];
        for (int i = 0; i < keys.Length; i++) keys[i] = BenchContext.Key(random.Next(ctx.N));
        byte[][] values = ctx.Values(ctx.M, salt: 7);
        var latencies = new Latencies(ctx.M);
        TimeSpan elapsed;
        SyncCounts syncs;
        var fs = new CountingFileSystem();
        await using (var engine = await BenchContext.OpenAsync(folder, fs))
        {
            string? wrong = await ScanCheck.VerifyAsync(engine, ctx.N, keysOnly: true); // warm-up: nodes into L1
            if (wrong is not null) return [new BenchResult(Title, slot, 0, TimeSpan.Zero, "WRONG: " + wrong, Failed: true)];
            var before = SyncCounts.Of(fs);
            var total = Stopwatch.StartNew();
            for (int i = 0; i < keys.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                await using var tx = engine.Begin(TransactionMode.ForWriting);
                var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
                if (!store.Update(keys[i], values[i])) throw new InvalidOperationException($"Update({keys[i]}) found no item");
                await tx.CommitAsync();
                latencies.Add(start);
            }
            elapsed = total.Elapsed;
            syncs = SyncCounts.Of(fs) - before;

            // Spot check: the last value written for a key is the one read back.
            await using var check = engine.Begin(TransactionMode.NoCheck);
            var s = check.OpenStore<string, byte[]>(BenchContext.StoreName);
            int last = keys.Length - 1;
            if (!s.TryGetValue(keys[last], out var read) || read is null || !read.AsSpan().SequenceEqual(values[last]))
                return [new BenchResult(Title, slot, ctx.M, elapsed, $"WRONG: {keys[last]} does not read back its last update", Failed: true)];
        }
        var result = new BenchResult(Title, slot, ctx.M, elapsed, "");
        return [result with { Note = $"{FsyncLimit.Ratio(ctx, result.OpsPerSecond)}; {syncs.PerCommit(ctx.M)}; {latencies.Summary()}; {ctx.N} items in store" }];
    }
}
