namespace Sop.Bench.Workloads;

/// <summary>The workloads in run order, each isolated so that one failure does not hide the others' rows.</summary>
internal static class Suite
{
    /// <summary>
    /// Run order. The fsync limit runs right before the durable rows it is compared with (timings drift); W7 runs
    /// last because it changes the populated folder the read workloads share.
    /// </summary>
    public static IReadOnlyList<IWorkload> All { get; } =
    [
        new W1BulkInsert(),
        new W2PointReads(),
        new W3FullScan(),
        new W4KeysOnlyScan(),
        new FsyncLimit(),
        new W5DurableCommits(),
        .. W6ConcurrentCommits.Rows,
        new W7DurableUpdate(),
    ];

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext ctx, TextWriter? progress)
    {
        var results = new List<BenchResult>();
        foreach (var workload in All)
        {
            if (!ctx.Args.Runs(workload.Id)) continue;
            progress?.WriteLine($"running {workload.Id} ...");
            try
            {
                results.AddRange(await workload.RunAsync(ctx));
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"{workload.Id} failed:");
                Console.Error.WriteLine(e.ToString());
                results.Add(BenchResult.Failure(workload.Title, workload.Slot(ctx), e));
            }
            // Let the previous workload's garbage go before the next one measures.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        return results;
    }
}
