using System.Globalization;

namespace Sop.Bench.Workloads;

/// <summary>
/// The physical limit of a serial durable commit on this disk (<see cref="AppendFsync"/>), M times. W5 and W7 are
/// reported as a ratio to this rate.
/// </summary>
internal sealed class FsyncLimit : IWorkload
{
    public string Id => "FSYNC";

    public string Title => "limit: append 100 B + fsync";

    public int? Slot(BenchContext ctx) => null;

    public Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext ctx)
    {
        var (elapsed, latencies) = AppendFsync.Measure(ctx.NewFolder("fsync-limit"), ctx.M, ctx.Args.Seed);
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
