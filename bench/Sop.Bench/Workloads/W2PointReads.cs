using System.Diagnostics;
using Sop.Transactions;

namespace Sop.Bench.Workloads;

/// <summary>
/// W2: N point reads in shuffled order on the populated store, warm: a first unmeasured pass over every key loads
/// the nodes into the L1 cache. Measured in one ForReading transaction (commit, i.e. validation, included) and in one
/// NoCheck transaction; each is the median of <see cref="Repeat.ReadPasses"/> passes.
/// </summary>
internal sealed class W2PointReads : IWorkload
{
    public string Id => "W2";

    public string Title => "W2 random point reads, warm";

    public int? Slot(BenchContext ctx) => ctx.Args.Slot;

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext ctx)
    {
        int slot = ctx.Args.Slot;
        string folder = await ctx.GetPopulatedFolderAsync(slot);
        string[] keys = ctx.ShuffledKeys(ctx.N, salt: 2);
        var results = new List<BenchResult>();
        await using var engine = await BenchContext.OpenAsync(folder);

        await ReadAllAsync(engine, TransactionMode.NoCheck, keys); // warm-up pass
        foreach (var mode in new[] { TransactionMode.ForReading, TransactionMode.NoCheck })
        {
            var (elapsed, wrong) = await Repeat.MedianAsync(Repeat.ReadPasses, async () =>
            {
                var total = Stopwatch.StartNew();
                long misses = await ReadAllAsync(engine, mode, keys);
                return (total.Elapsed, misses == 0 ? null : $"{misses} keys not found");
            });
            string note = wrong is not null
                ? "WRONG: " + wrong
                : $"median of {Repeat.ReadPasses}" + (mode == TransactionMode.ForReading ? "; commit (validation) included" : "");
            results.Add(new BenchResult($"{Title} ({mode})", slot, keys.Length, elapsed, note, Failed: wrong is not null));
        }
        return results;
    }

    /// <summary>Reads every key in one transaction of this mode; returns how many were missing or wrong.</summary>
    private static async ValueTask<long> ReadAllAsync(SopEngine engine, TransactionMode mode, string[] keys)
    {
        long misses = 0;
        await using var tx = engine.Begin(mode, BenchContext.LongTransaction);
        var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
        foreach (string key in keys)
        {
            if (!store.TryGetValue(key, out var value) || value is not { Length: BenchContext.ValueLength }) misses++;
        }
        await tx.CommitAsync();
        return misses;
    }
}
