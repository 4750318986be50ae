using System.Diagnostics;
using Sop.Bench.Stores;

namespace Sop.Bench.Comparison;

/// <summary>
/// Runs the comparison's workloads against one store: an unmeasured small pass first (JIT), then the measured one.
/// Each workload is isolated, so one failure does not hide the others.
/// </summary>
internal static class StoreRun
{
    /// <summary>Runs every selected workload; <paramref name="measureMemory"/> when the process is this store's alone.</summary>
    public static async Task<StoreReport> RunAsync(IStoreKind kind, BenchArgs args, string root, bool measureMemory, TextWriter progress)
    {
        if (kind.Unavailable() is { } reason)
        {
            progress.WriteLine($"{kind.Name}: skipped: {reason}");
            return new StoreReport(kind.Id, reason, []);
        }
        if (args.Warmup)
        {
            string warmRoot = Path.Combine(root, "warmup");
            await RunOnceAsync(kind, new BenchContext(args, warmRoot, Math.Min(args.N, 2_000), Math.Min(args.M, 20)), TextWriter.Null, measureMemory: false);
            Directory.Delete(warmRoot, recursive: true);
        }
        return await RunOnceAsync(kind, new BenchContext(args, Path.Combine(root, "run"), args.N, args.M), progress, measureMemory);
    }

    private static async Task<StoreReport> RunOnceAsync(IStoreKind kind, BenchContext ctx, TextWriter progress, bool measureMemory)
    {
        var data = new WorkloadData(ctx);
        var outcomes = new List<WorkloadOutcome>();
        bool Selected(string id) => ctx.Args.Runs(id) && (kind.Workloads?.Contains(id) ?? true);
        async ValueTask Run(string id, Func<ValueTask<WorkloadOutcome>> workload, bool record = true)
        {
            progress.WriteLine($"{kind.Name}: {id} ...");
            WorkloadOutcome outcome;
            try
            {
                outcome = await workload();
            }
            catch (Exception e)
            {
                progress.WriteLine($"{kind.Name} {id} failed:{Environment.NewLine}{e}");
                outcome = new WorkloadOutcome(id, 0, 0, $"FAILED: {e.GetType().Name}: {e.Message}", "");
            }
            if (record) outcomes.Add(outcome);
            if (outcome.Wrong is not null) progress.WriteLine($"{kind.Name}: {id} WRONG: {outcome.Wrong}");
            // Let the previous workload's garbage go before the next one measures.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        // A phase opens a store and runs workloads on it; when opening or loading throws, its workloads fail alone.
        async ValueTask Phase(string[] ids, Func<Task> body)
        {
            if (!ids.Any(Selected)) return;
            try
            {
                await body();
            }
            catch (Exception e)
            {
                progress.WriteLine($"{kind.Name} {string.Join(",", ids)} failed:{Environment.NewLine}{e}");
                foreach (string id in ids.Where(id => Selected(id) && outcomes.All(o => o.Id != id)))
                    outcomes.Add(new WorkloadOutcome(id, 0, 0, $"FAILED: {e.GetType().Name}: {e.Message}", ""));
            }
        }

        long? baseline = measureMemory ? PeakWorkingSet() : null;
        long? peak = null;
        await Phase(["W1", "W2", "W3", "W4"], async () =>
        {
            string bulkNote = kind.ProfileNote(StoreProfile.Bulk);
            await using var store = await kind.OpenAsync(ctx.NewFolder("bulk"), StoreProfile.Bulk);
            // W1 fills the store that W2-W4 read, so it runs even when only they are selected.
            await Run("W1", () => PopulatedWorkloads.BulkInsertAsync(store, data.Populated, data.PopulatedValues, bulkNote), record: Selected("W1"));
            if (Selected("W2")) await Run("W2", () => PopulatedWorkloads.PointReadsAsync(store, data.ReadOrder, bulkNote));
            if (measureMemory) peak = PeakWorkingSet();
            if (Selected("W3")) await Run("W3", () => PopulatedWorkloads.ScanAsync(store, ctx.N, keysOnly: false, bulkNote));
            if (Selected("W4")) await Run("W4", () => PopulatedWorkloads.ScanAsync(store, ctx.N, keysOnly: true, bulkNote));
        });

        string durableNote = kind.ProfileNote(StoreProfile.Durable);
        await Phase(["W5"], async () =>
        {
            await using var store = await kind.OpenAsync(ctx.NewFolder("w5"), StoreProfile.Durable);
            await Run("W5", () => DurableWorkloads.SingleWriterAsync(store, data.NewKeys, data.NewValues, durableNote));
        });
        await Phase(["W6"], async () =>
        {
            await using var store = await kind.OpenAsync(ctx.NewFolder("w6"), StoreProfile.Durable);
            if (data.PreloadKeys.Count > 0) await store.BulkInsertAsync(data.PreloadKeys, data.PreloadValues);
            await Run("W6", () => DurableWorkloads.ConcurrentWritersAsync(store, data.ConcurrentKeys, data.ConcurrentValues, data.PreloadKeys.Count, WorkloadIds.W6Writers, durableNote));
        });
        await Phase(["W7"], async () =>
        {
            await using var store = await kind.OpenAsync(ctx.NewFolder("w7"), StoreProfile.Durable);
            await store.BulkInsertAsync(data.Populated, data.PopulatedValues); // unmeasured: the N items to update
            await Run("W7", () => DurableWorkloads.UpdatesAsync(store, data.Populated, data.UpdateTargets, data.UpdateValues, durableNote));
        });
        return new StoreReport(kind.Id, null, outcomes, peak, baseline);
    }

    /// <summary>The process's peak resident set so far (VmHWM on Linux).</summary>
    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
