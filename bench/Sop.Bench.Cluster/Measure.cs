using System.Diagnostics;
using System.Globalization;

namespace Sop.Bench.Cluster;

/// <summary>Runs <c>count</c> operations with <c>concurrency</c> workers and reports ops/s with p50/p99 latency.</summary>
internal static class Measure
{
    public static async Task<string> ConcurrentAsync(int count, int concurrency, Func<int, Task> operation)
    {
        var latencies = new double[count];
        int next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                int i = Interlocked.Increment(ref next);
                if (i >= count) return;
                long start = Stopwatch.GetTimestamp();
                await operation(i);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        double seconds = total.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return string.Create(CultureInfo.InvariantCulture,
            $"{count / seconds:N0}/s | p50 {latencies[count / 2]:F2} ms, p99 {latencies[Math.Min(count - 1, count * 99 / 100)]:F2} ms");
    }
}
