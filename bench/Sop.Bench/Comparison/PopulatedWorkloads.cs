using System.Diagnostics;
using System.Globalization;
using Sop.Bench.Stores;

namespace Sop.Bench.Comparison;

/// <summary>
/// W1-W4 on one store opened for bulk work: W1 fills it with N items in one durable transaction, W2-W4 read it
/// warm. Each checks its result; the read workloads keep the median of <see cref="Repeat.ReadPasses"/> passes.
/// </summary>
internal static class PopulatedWorkloads
{
    /// <summary>W1: N inserts in shuffled key order, one transaction, durable commit included; then count, order and values are checked.</summary>
    public static async ValueTask<WorkloadOutcome> BulkInsertAsync(IKvStore store, BenchKeys keys, byte[][] values, string note)
    {
        var total = Stopwatch.StartNew();
        await store.BulkInsertAsync(keys, values);
        double seconds = total.Elapsed.TotalSeconds;
        string? wrong = await OrderCheck.RunAsync(store, keys.Count, keysOnly: false) ?? await SpotCheckAsync(store, keys, values);
        return new WorkloadOutcome("W1", keys.Count, seconds, wrong, note);
    }

    /// <summary>W2: every key read once in shuffled order in one read transaction, after an unmeasured pass (warm).</summary>
    public static async ValueTask<WorkloadOutcome> PointReadsAsync(IKvStore store, BenchKeys shuffled, string note)
    {
        await store.ReadAllAsync(shuffled); // warm-up pass
        var (elapsed, wrong) = await Repeat.MedianAsync(Repeat.ReadPasses, async () =>
        {
            var total = Stopwatch.StartNew();
            long hits = await store.ReadAllAsync(shuffled);
            return (total.Elapsed, hits == shuffled.Count ? null : $"{shuffled.Count - hits} of {shuffled.Count} keys missing or wrong");
        });
        return new WorkloadOutcome("W2", shuffled.Count, elapsed.TotalSeconds, wrong, note);
    }

    /// <summary>W3 (values) or W4 (keys only): a full ordered scan, after an unmeasured check scan (order and count).</summary>
    public static async ValueTask<WorkloadOutcome> ScanAsync(IKvStore store, int n, bool keysOnly, string note)
    {
        string id = keysOnly ? "W4" : "W3";
        string? wrong = await OrderCheck.RunAsync(store, n, keysOnly);
        if (wrong is not null) return new WorkloadOutcome(id, 0, 0, wrong, note);
        var (elapsed, wrongPass) = await Repeat.MedianAsync(Repeat.ReadPasses, async () =>
        {
            var total = Stopwatch.StartNew();
            var stats = await store.ScanAsync(keysOnly, visit: null);
            bool ok = stats.Count == n && stats.KeyBytes == (long)n * BenchContext.KeyLength
                      && stats.ValueBytes == (keysOnly ? 0 : (long)n * BenchContext.ValueLength);
            return (total.Elapsed, ok ? null : string.Create(CultureInfo.InvariantCulture, $"scan saw {stats}"));
        });
        return new WorkloadOutcome(id, n, elapsed.TotalSeconds, wrongPass, note);
    }

    /// <summary>Every 97th key (and the last) reads back exactly the value inserted.</summary>
    private static async ValueTask<string?> SpotCheckAsync(IKvStore store, BenchKeys keys, byte[][] values)
    {
        var indexes = Enumerable.Range(0, (keys.Count + 96) / 97).Select(i => i * 97).Append(keys.Count - 1);
        foreach (int i in indexes)
        {
            var read = await store.GetAsync(keys, i);
            if (read is null || !read.AsSpan().SequenceEqual(values[i])) return $"{keys.Text[i]} does not read back its value";
        }
        return null;
    }
}
