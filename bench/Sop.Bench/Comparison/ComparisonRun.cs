using Sop.Bench.Stores;

namespace Sop.Bench.Comparison;

/// <summary>
/// The default mode: the workloads W1-W7 for SopOrleans and every peer, each store in its own child process (or all
/// in this one with <c>--in-process</c>), runs interleaved store by store so drift hits every store alike, then one
/// table, printed and written to the results file.
/// </summary>
internal static class ComparisonRun
{
    /// <summary>Longest a child may take; a hung store must not hang the whole run.</summary>
    private static TimeSpan ChildTimeout(BenchArgs args) => args.Quick ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(60);

    /// <summary>Runs the comparison; returns the exit code (0 when every store that ran passed its checks).</summary>
    public static async Task<int> RunAsync(BenchArgs args, string root, TextWriter output, TextWriter progress)
    {
        var kinds = StoreCatalog.Select(args);
        var header = new RunHeader(args, DateTime.Now, ResultTable.LoadAverage());
        var reports = kinds.ToDictionary(k => k.Id, _ => new List<StoreReport>());
        var limits = new List<double>();
        for (int run = 1; run <= args.RunCount; run++)
        {
            // The fsync limit is measured in every run, right before the stores, because timings drift.
            var (elapsed, _) = AppendFsync.Measure(Path.Combine(root, $"run{run}-fsync"), args.M, args.Seed);
            limits.Add(args.M / elapsed.TotalSeconds);
            foreach (var kind in kinds)
            {
                progress.WriteLine($"run {run}/{args.RunCount}: {kind.Name} ...");
                string folder = Path.Combine(root, $"run{run}-{kind.Id}");
                var report = args.InProcess
                    ? await StoreRun.RunAsync(kind, args, folder, measureMemory: false, progress)
                    : await ChildProcess.RunAsync(kind, args, folder, ChildTimeout(args), progress);
                reports[kind.Id].Add(report);
                if (!args.Keep && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
        }
        header.LoadAverageAtEnd = ResultTable.LoadAverage();
        header.FsyncLimitPerSecond = StoreSummary.Median(limits);

        var summaries = kinds.Select(k => new StoreSummary(k, reports[k.Id])).ToList();
        string markdown = ComparisonTable.Render(header, summaries);
        output.WriteLine();
        output.WriteLine(markdown);
        string file = ResultsFile.Write(args, header.Started, markdown);
        output.WriteLine($"written to {file}");
        return summaries.All(s => s.Skipped is not null || s.ChecksPassed) ? 0 : 1;
    }
}
