using System.Diagnostics;

namespace Sop.Bench;

/// <summary>
/// The physical limit of a serial durable commit on this disk: append 100 bytes to a file and fsync it
/// (<c>FileStream.Flush(true)</c>: one <c>pwrite</c> and one <c>fsync</c>), M times.
/// </summary>
internal static class AppendFsync
{
    /// <summary>Measures <paramref name="count"/> appends in a new file under <paramref name="folder"/>; returns wall time and per-append latencies.</summary>
    public static (TimeSpan Elapsed, Latencies Latencies) Measure(string folder, int count, int seed)
    {
        Directory.CreateDirectory(folder);
        var payload = new byte[100];
        new Random(seed).NextBytes(payload);
        var latencies = new Latencies(count);
        using var file = new FileStream(Path.Combine(folder, "append.bin"), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 4096, FileOptions.None);
        for (int i = 0; i < 10; i++) // unmeasured: create the file's first blocks
        {
            file.Write(payload);
            file.Flush(flushToDisk: true);
        }
        var total = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            file.Write(payload);
            file.Flush(flushToDisk: true);
            latencies.Add(start);
        }
        return (total.Elapsed, latencies);
    }
}
