using System.Diagnostics;
using Sop.Bench.Stores;

namespace Sop.Bench.Comparison;

/// <summary>
/// W5-W7: small transactions, each committed durably (the store's fsync setting), each checked afterwards.
/// </summary>
internal static class DurableWorkloads
{
    /// <summary>W5: one writer, M transactions each adding one new key to an empty store.</summary>
    public static async ValueTask<WorkloadOutcome> SingleWriterAsync(IKvStore store, BenchKeys keys, byte[][] values, string note)
    {
        var total = Stopwatch.StartNew();
        for (int i = 0; i < keys.Count; i++) await store.InsertDurableAsync(keys, i, values[i]);
        double seconds = total.Elapsed.TotalSeconds;
        string? wrong = await OrderCheck.RunAsync(store, keys.Count, keysOnly: false) ?? await ReadsBackAsync(store, keys, values);
        return new WorkloadOutcome("W5", keys.Count, seconds, wrong, note);
    }

    /// <summary>
    /// W6: <paramref name="writers"/> concurrent writers share M transactions, each adding one new key, on a store
    /// pre-loaded (unmeasured) with <paramref name="preloaded"/> keys spread over the same key range.
    /// </summary>
    public static async ValueTask<WorkloadOutcome> ConcurrentWritersAsync(IKvStore store, BenchKeys keys, byte[][] values, int preloaded, int writers, string note)
    {
        int next = -1;
        var total = Stopwatch.StartNew();
        var tasks = new Task[writers];
        for (int w = 0; w < writers; w++)
        {
            tasks[w] = Task.Run(async () =>
            {
                for (int i = Interlocked.Increment(ref next); i < keys.Count; i = Interlocked.Increment(ref next))
                    await store.InsertDurableAsync(keys, i, values[i]);
            });
        }
        await Task.WhenAll(tasks);
        double seconds = total.Elapsed.TotalSeconds;
        string? wrong = await OrderCheck.RunAsync(store, preloaded + keys.Count, keysOnly: false) ?? await ReadsBackAsync(store, keys, values);
        return new WorkloadOutcome("W6", keys.Count, seconds, wrong, note);
    }

    /// <summary>W7: one writer, M transactions each replacing the value of a random existing key of the N-item store.</summary>
    public static async ValueTask<WorkloadOutcome> UpdatesAsync(IKvStore store, BenchKeys populated, int[] targets, byte[][] values, string note)
    {
        var total = Stopwatch.StartNew();
        for (int i = 0; i < targets.Length; i++) await store.UpdateDurableAsync(populated, targets[i], values[i]);
        double seconds = total.Elapsed.TotalSeconds;

        // Every updated key must read back its last update, and no item may have appeared or gone.
        var last = new Dictionary<int, int>();
        for (int i = 0; i < targets.Length; i++) last[targets[i]] = i;
        string? wrong = await OrderCheck.RunAsync(store, populated.Count, keysOnly: true);
        foreach (var (key, update) in last)
        {
            if (wrong is not null) break;
            var read = await store.GetAsync(populated, key);
            if (read is null || !read.AsSpan().SequenceEqual(values[update])) wrong = $"{populated.Text[key]} does not read back its last update";
        }
        return new WorkloadOutcome("W7", targets.Length, seconds, wrong, note);
    }

    private static async ValueTask<string?> ReadsBackAsync(IKvStore store, BenchKeys keys, byte[][] values)
    {
        for (int i = 0; i < keys.Count; i++)
        {
            var read = await store.GetAsync(keys, i);
            if (read is null || !read.AsSpan().SequenceEqual(values[i])) return $"{keys.Text[i]} does not read back its value";
        }
        return null;
    }
}
