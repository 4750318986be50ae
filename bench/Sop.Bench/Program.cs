using Sop.Bench;
using Sop.Bench.Workloads;

// Console benchmark harness: the workloads of performance-targets.md against the engine, plus the append+fsync limit.
var options = BenchArgs.Parse(args, out string? error);
if (options is null)
{
    if (error is { Length: > 0 }) Console.Error.WriteLine(error);
    Console.Error.WriteLine(BenchArgs.Usage);
    return error is { Length: > 0 } ? 2 : 0;
}

string root = options.Dir is { } dir
    ? Path.Combine(Path.GetFullPath(dir), $"sop-bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}")
    : Path.Combine(Path.GetTempPath(), $"sop-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(root);
try
{
    if (options.Warmup)
    {
        // Unmeasured pass at a small size so the measured run does not pay for JIT compilation.
        string warmRoot = Path.Combine(root, "warmup");
        var warm = await Suite.RunAsync(new BenchContext(options, warmRoot, n: Math.Min(options.N, 2_000), m: Math.Min(options.M, 20)), progress: null);
        if (warm.Any(r => r.Failed)) Console.Error.WriteLine("the warm-up pass had failures (see above); measuring anyway");
        if (Directory.Exists(warmRoot)) Directory.Delete(warmRoot, recursive: true);
    }
    var ctx = new BenchContext(options, Path.Combine(root, "run"), options.N, options.M);
    ResultTable.PrintHeader(Console.Out, options, ctx);
    var results = await Suite.RunAsync(ctx, progress: Console.Error);
    Console.WriteLine();
    ResultTable.Print(Console.Out, results);
    Console.WriteLine($"load average at end: {ResultTable.LoadAverage()}");
    return results.Any(r => r.Failed) ? 1 : 0;
}
finally
{
    if (options.Keep) Console.WriteLine($"data kept under {root}");
    else Directory.Delete(root, recursive: true);
}
