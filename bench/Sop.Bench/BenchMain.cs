using Sop.Bench.Comparison;
using Sop.Bench.Stores;
using Sop.Bench.Workloads;

namespace Sop.Bench;

/// <summary>The harness's entry, callable in-process (the smoke test does): parses the arguments and runs one mode.</summary>
internal static class BenchMain
{
    /// <summary>Returns the exit code: 0 when everything ran and checked out, 1 when something failed, 2 for bad arguments.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter progress)
    {
        var options = BenchArgs.Parse(args, out string? error);
        if (options is null)
        {
            if (error is { Length: > 0 }) progress.WriteLine(error);
            progress.WriteLine(BenchArgs.Usage);
            return error is { Length: > 0 } ? 2 : 0;
        }

        // W6's writers block on fsync in the stores with a synchronous API; without enough pool threads the pool
        // would add them one by one and throttle those stores.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, WorkloadIds.W6Writers * 2), io);

        if (options.Child is { } child) return await RunChildAsync(options, child, progress);

        string root = options.Dir is { } dir
            ? Path.Combine(Path.GetFullPath(dir), $"sop-bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}")
            : Path.Combine(Path.GetTempPath(), $"sop-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            return options.Engine
                ? await RunEngineSuiteAsync(options, root, output, progress)
                : await ComparisonRun.RunAsync(options, root, output, progress);
        }
        finally
        {
            if (options.Keep) output.WriteLine($"data kept under {root}");
            else Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The child process of the comparison: one store, its report written as JSON to <c>--report</c>.</summary>
    private static async Task<int> RunChildAsync(BenchArgs options, string storeId, TextWriter progress)
    {
        if (options.Report is null || options.Dir is null)
        {
            progress.WriteLine("--child needs --report FILE and --dir PATH");
            return 2;
        }
        var kind = StoreCatalog.Find(options, storeId);
        var report = await StoreRun.RunAsync(kind, options, options.Dir, measureMemory: true, progress);
        await File.WriteAllTextAsync(options.Report, report.ToJson());
        return report.AllChecksPassed ? 0 : 1;
    }

    /// <summary>The engine-only suite (fsyncs per commit, W6 with 1/4/16 writers, clustered rows with --redis).</summary>
    private static async Task<int> RunEngineSuiteAsync(BenchArgs options, string root, TextWriter output, TextWriter progress)
    {
        if (options.Warmup)
        {
            // Unmeasured pass at a small size so the measured run does not pay for JIT compilation.
            string warmRoot = Path.Combine(root, "warmup");
            var warm = await Suite.RunAsync(new BenchContext(options, warmRoot, n: Math.Min(options.N, 2_000), m: Math.Min(options.M, 20)), progress: null);
            if (warm.Any(r => r.Failed)) progress.WriteLine("the warm-up pass had failures (see above); measuring anyway");
            if (Directory.Exists(warmRoot)) Directory.Delete(warmRoot, recursive: true);
        }
        var ctx = new BenchContext(options, Path.Combine(root, "run"), options.N, options.M);
        ResultTable.PrintHeader(output, options, ctx);
        var results = await Suite.RunAsync(ctx, progress);
        output.WriteLine();
        ResultTable.Print(output, results);
        output.WriteLine($"load average at end: {ResultTable.LoadAverage()}");
        return results.Any(r => r.Failed) ? 1 : 0;
    }
}
