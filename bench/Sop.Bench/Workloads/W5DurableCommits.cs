using System.Diagnostics;
using Sop.Transactions;

namespace Sop.Bench.Workloads;

/// <summary>
/// W5: one writer runs M transactions, each adding one new key to a store that starts empty (fresh folder), each
/// commit durable (one fsync of the commit log). Reported as a ratio to the fsync limit of the same run, with the
/// fsyncs per commit counted by a <see cref="CountingFileSystem"/>.
/// </summary>
internal sealed class W5DurableCommits : IWorkload
{
    public string Id => "W5";

    public string Title => "W5 durable commit, 1 writer";

    public int? Slot(BenchContext ctx) => ctx.Args.SlotForDurable;

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext ctx)
    {
        int slot = ctx.Args.SlotForDurable;
        string folder = ctx.NewFolder($"w5-slot{slot}");
        string[] keys = ctx.ShuffledKeys(ctx.M, salt: 5);
        byte[][] values = ctx.Values(ctx.M, salt: 5);
        var latencies = new Latencies(ctx.M);
        TimeSpan elapsed;
        long count;
        SyncCounts syncs;
        var fs = new CountingFileSystem();
        await using (var engine = await BenchContext.OpenAsync(folder, fs))
        {
            await BenchContext.CreateStoreAsync(engine, slot);
            var before = SyncCounts.Of(fs);
            var total = Stopwatch.StartNew();
            for (int i = 0; i < keys.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                await using var tx = engine.Begin(TransactionMode.ForWriting);
                var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
                if (!store.Add(keys[i], values[i])) throw new InvalidOperationException($"Add({keys[i]}) returned false for a new key");
                await tx.CommitAsync();
                latencies.Add(start);
            }
            elapsed = total.Elapsed;
            syncs = SyncCounts.Of(fs) - before;
            count = engine.GetCount(BenchContext.StoreName);
        }
        var result = new BenchResult(Title, slot, ctx.M, elapsed, "");
        bool ok = count == ctx.M;
        string note = ok
            ? $"{FsyncLimit.Ratio(ctx, result.OpsPerSecond)}; {syncs.PerCommit(ctx.M)}; {latencies.Summary()}; empty store at start"
            : $"WRONG COUNT: store holds {count}, expected {ctx.M}";
        return [result with { Note = note, Failed = !ok }];
    }
}
