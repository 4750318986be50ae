using System.Diagnostics;
using Sop.Transactions;

namespace Sop.Bench.Workloads;

/// <summary>
/// W4: an ordered keys-only scan over the whole populated store, in one ForReading transaction (commit included),
/// after an unmeasured warm-up scan that also checks count and order; the median of <see cref="Repeat.ReadPasses"/>.
/// </summary>
internal sealed class W4KeysOnlyScan : IWorkload
{
    public string Id => "W4";

    public string Title => "W4 keys-only scan";

    public int? Slot(BenchContext ctx) => ctx.Args.Slot;

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext ctx)
    {
        int slot = ctx.Args.Slot;
        string folder = await ctx.GetPopulatedFolderAsync(slot);
        await using var engine = await BenchContext.OpenAsync(folder);
        string? wrong = await ScanCheck.VerifyAsync(engine, ctx.N, keysOnly: true);
        if (wrong is not null) return [new BenchResult(Title, slot, 0, TimeSpan.Zero, "WRONG: " + wrong, Failed: true)];

        var (elapsed, wrongPass) = await Repeat.MedianAsync(Repeat.ReadPasses, async () =>
        {
            var total = Stopwatch.StartNew();
            long count = 0, chars = 0;
            await using (var tx = engine.Begin(TransactionMode.ForReading, BenchContext.LongTransaction))
            {
                var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
                foreach (var item in store.Scan(keysOnly: true))
                {
                    count++;
                    chars += item.Key.Length;
                }
                await tx.CommitAsync();
            }
            bool ok = count == ctx.N && chars == count * BenchContext.KeyLength;
            return (total.Elapsed, ok ? null : $"{count} items");
        });
        string note = wrongPass is null ? $"median of {Repeat.ReadPasses}; ForReading" : "WRONG: " + wrongPass;
        return [new BenchResult(Title, slot, ctx.N, elapsed, note, Failed: wrongPass is not null)];
    }
}
