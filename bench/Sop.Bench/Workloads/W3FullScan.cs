using System.Diagnostics;
using Sop.Transactions;

namespace Sop.Bench.Workloads;

/// <summary>
/// W3: an ordered scan over the whole populated store with values, in one ForReading transaction (commit included),
/// after an unmeasured warm-up scan that also checks count and order; the median of <see cref="Repeat.ReadPasses"/>.
/// </summary>
internal sealed class W3FullScan : IWorkload
{
    public string Id => "W3";

    public string Title => "W3 ordered full scan";

    public int? Slot(BenchContext ctx) => ctx.Args.Slot;

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext ctx)
    {
        int slot = ctx.Args.Slot;
        string folder = await ctx.GetPopulatedFolderAsync(slot);
        await using var engine = await BenchContext.OpenAsync(folder);
        string? wrong = await ScanCheck.VerifyAsync(engine, ctx.N, keysOnly: false);
        if (wrong is not null) return [new BenchResult(Title, slot, 0, TimeSpan.Zero, "WRONG: " + wrong, Failed: true)];

        var (elapsed, wrongPass) = await Repeat.MedianAsync(Repeat.ReadPasses, async () =>
        {
            var total = Stopwatch.StartNew();
            long count = 0, bytes = 0;
            await using (var tx = engine.Begin(TransactionMode.ForReading, BenchContext.LongTransaction))
            {
                var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
                foreach (var item in store.Scan())
                {
                    count++;
                    bytes += item.Value!.Length;
                }
                await tx.CommitAsync();
            }
            bool ok = count == ctx.N && bytes == count * BenchContext.ValueLength;
            return (total.Elapsed, ok ? null : $"{count} items, {bytes} value bytes");
        });
        string note = wrongPass is null ? $"median of {Repeat.ReadPasses}; ForReading, values read" : "WRONG: " + wrongPass;
        return [new BenchResult(Title, slot, ctx.N, elapsed, note, Failed: wrongPass is not null)];
    }
}
