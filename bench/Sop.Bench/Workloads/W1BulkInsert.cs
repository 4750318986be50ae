using System.Diagnostics;
using System.Globalization;
using Sop.Transactions;

namespace Sop.Bench.Workloads;

/// <summary>W1: N items added in one transaction in shuffled key order, commit (one fsync) included.</summary>
/// <remarks>
/// The note splits the time into the adds and the commit and gives the folder's size right after the commit (commit
/// log included). The folder is kept as the populated folder of W2, W3, W4 (and W7 when the slot lengths match).
/// </remarks>
internal sealed class W1BulkInsert : IWorkload
{
    public string Id => "W1";

    public string Title => "W1 bulk insert, one transaction";

    public int? Slot(BenchContext ctx) => ctx.Args.Slot;

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext ctx)
    {
        int slot = ctx.Args.Slot;
        string folder = ctx.NewFolder($"w1-slot{slot}");
        string[] keys = ctx.PopulatedKeys();
        byte[][] values = ctx.Values(ctx.N, salt: 1);
        TimeSpan elapsed, adds;
        long count, bytes;
        await using (var engine = await BenchContext.OpenAsync(folder))
        {
            await BenchContext.CreateStoreAsync(engine, slot);
            var total = Stopwatch.StartNew();
            await using (var tx = engine.Begin(TransactionMode.ForWriting, BenchContext.LongTransaction))
            {
                var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
                for (int i = 0; i < keys.Length; i++)
                {
                    if (!store.Add(keys[i], values[i])) throw new InvalidOperationException($"Add({keys[i]}) returned false in a fresh store");
                }
                adds = total.Elapsed;
                await tx.CommitAsync();
            }
            elapsed = total.Elapsed;
            count = engine.GetCount(BenchContext.StoreName);
            bytes = FolderBytes(folder);
        }
        ctx.RegisterPopulated(slot, folder);
        bool ok = count == ctx.N;
        string note = ok
            ? string.Create(CultureInfo.InvariantCulture,
                $"adds {adds.TotalSeconds:F3} s + commit {(elapsed - adds).TotalSeconds:F3} s; {bytes / 1e6:F1} MB on disk after commit")
            : $"WRONG COUNT: store holds {count}, expected {ctx.N}";
        return [new BenchResult(Title, slot, ctx.N, elapsed, note, Failed: !ok)];
    }

    private static long FolderBytes(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
