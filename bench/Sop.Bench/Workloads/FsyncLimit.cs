using System.Diagnostics;
using System.Globalization;

namespace Sop.Bench.Workloads;

/// <summary>
/// The physical limit of a serial durable commit on this disk: append 100 bytes to a file and fsync it
/// (<c>FileStream.Flush(true)</c>), M times. W5 and W7 are reported as a ratio to this rate.
/// </summary>
internal sealed class FsyncLimit : IWorkload
{
    public string Id => "FSYNC";

    public string Title => "limit: append 100 B + fsync";

    public int? Slot(BenchContext ctx) => null;

    public Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext ctx)
    {
        string folder = ctx.NewFolder("fsync-limit");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "append.bin");
        var payload = new byte[100];
        new Random(ctx.Args.Seed).NextBytes(payload);
        var latencies = new Latencies(ctx.M);
        TimeSpan elapsed;
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 4096, FileOptions.None))
        {
            for (int i = 0; i < 10; i++) // unmeasured: create the file's first blocks
            {
                file.Write(payload);
                file.Flush(flushToDisk: true);
            }
            var total = Stopwatch.StartNew();
            for (int i = 0; i < ctx.M; i++)
            {
                long start = Stopwatch.GetTimestamp();
                file.Write(payload);
                file.Flush(flushToDisk: true);
                latencies.Add(start);
            }
            elapsed = total.Elapsed;
        }
        var result = new BenchResult(Title, null, ctx.M, elapsed, latencies.Summary());
        ctx.FsyncLimitPerSecond = result.OpsPerSecond;
        return Task.FromResult<IReadOnlyList<BenchResult>>([result]);
    }

    /// <summary>"0.93× fsync limit" for a durable row, or a remark that the limit was not measured.</summary>
    public static string Ratio(BenchContext ctx, double opsPerSecond) =>
        ctx.FsyncLimitPerSecond is { } limit and > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{opsPerSecond / limit:F2}× fsync limit")
            : "fsync limit not measured (add FSYNC to --only)";
}
