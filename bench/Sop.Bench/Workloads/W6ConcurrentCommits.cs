using System.Diagnostics;
using System.Globalization;
using Sop.Errors;
using Sop.Transactions;

namespace Sop.Bench.Workloads;

/// <summary>
/// W6: 16 concurrent writers (tasks) run M transactions in all, each adding one distinct new key to a store that
/// starts empty (fresh folder), each commit durable. A transaction that loses with
/// <see cref="TransactionConflictException"/> is retried; the retries (= aborted attempts) are counted. Conflicts the
/// engine resolves inside the commit (its in-flight merge) never reach the caller and are not counted here.
/// </summary>
internal sealed class W6ConcurrentCommits : IWorkload
{
    public const int Writers = 16;

    public string Id => "W6";

    public string Title => $"W6 durable commits, {Writers} writers";

    public int? Slot(BenchContext ctx) => ctx.Args.SlotForDurable;

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext ctx)
    {
        int slot = ctx.Args.SlotForDurable;
        string folder = ctx.NewFolder($"w6-slot{slot}");
        string[] keys = ctx.ShuffledKeys(ctx.M, salt: 6);
        byte[][] values = ctx.Values(ctx.M, salt: 6);
        var latencies = new Latencies(ctx.M);
        long retries = 0;
        int maxAttempts = 0;
        int next = -1;
        TimeSpan elapsed;
        long count;
        await using (var engine = await BenchContext.OpenAsync(folder))
        {
            await BenchContext.CreateStoreAsync(engine, slot);
            var total = Stopwatch.StartNew();
            var writers = new Task[Writers];
            for (int w = 0; w < Writers; w++)
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
                            try
                            {
                                await using var tx = engine.Begin(TransactionMode.ForWriting);
                                var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
                                if (!store.Add(keys[i], values[i])) throw new InvalidOperationException($"Add({keys[i]}) returned false for a new key");
                                await tx.CommitAsync();
                                InterlockedMax(ref maxAttempts, attempt);
                                break;
                            }
                            catch (TransactionConflictException)
                            {
                                Interlocked.Increment(ref retries);
                            }
                        }
                        latencies.AddConcurrent(start);
                    }
                });
            }
            await Task.WhenAll(writers);
            elapsed = total.Elapsed;
            count = engine.GetCount(BenchContext.StoreName);
        }
        bool ok = count == ctx.M;
        string note = ok
            ? string.Create(CultureInfo.InvariantCulture,
                $"{retries} conflicts surfaced and retried ({(double)retries / ctx.M:F2}/commit, max {maxAttempts} attempts); {latencies.Summary()} incl. retries")
            : $"WRONG COUNT: store holds {count}, expected {ctx.M}";
        return [new BenchResult(Title, slot, ctx.M, elapsed, note, Failed: !ok)];
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
