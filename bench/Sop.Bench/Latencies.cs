using System.Diagnostics;
using System.Globalization;

namespace Sop.Bench;

/// <summary>Per-operation wall times of one workload (Stopwatch ticks), for median and tail figures.</summary>
internal sealed class Latencies(int capacity)
{
    private readonly long[] _ticks = new long[capacity];
    private int _count;

    public int Count => _count;

    /// <summary>Records the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void Add(long startTimestamp) => _ticks[_count++] = Stopwatch.GetTimestamp() - startTimestamp;

    /// <summary>Records the time since <paramref name="startTimestamp"/>; safe to call from several threads.</summary>
    public void AddConcurrent(long startTimestamp)
    {
        int at = Interlocked.Increment(ref _count) - 1;
        _ticks[at] = Stopwatch.GetTimestamp() - startTimestamp;
    }

    /// <summary>The given percentile (0..100) in microseconds.</summary>
    public double PercentileMicroseconds(double percentile)
    {
        if (_count == 0) return 0;
        var sorted = _ticks.AsSpan(0, _count).ToArray();
        Array.Sort(sorted);
        int index = (int)Math.Clamp(Math.Ceiling(percentile / 100 * _count) - 1, 0, _count - 1);
        return sorted[index] * 1_000_000.0 / Stopwatch.Frequency;
    }

    /// <summary>"median 123 µs, p99 456 µs, max 2.10 ms".</summary>
    public string Summary() =>
        string.Create(CultureInfo.InvariantCulture, $"median {Format(PercentileMicroseconds(50))}, p99 {Format(PercentileMicroseconds(99))}, max {Format(PercentileMicroseconds(100))}");

    /// <summary>"p50 123 µs, p99 456 µs, max 2.10 ms".</summary>
    public string PercentileSummary() =>
        $"p50 {Format(PercentileMicroseconds(50))}, p99 {Format(PercentileMicroseconds(99))}, max {Format(PercentileMicroseconds(100))}";

    private static string Format(double microseconds) =>
        microseconds switch
        {
            >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1_000_000:F2} s"),
            >= 10_000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000:F1} ms"),
            >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000:F2} ms"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{microseconds:F0} µs"),
        };
}
