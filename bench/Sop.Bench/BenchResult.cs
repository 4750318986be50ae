namespace Sop.Bench;

/// <summary>One row of the results table.</summary>
/// <param name="Workload">Workload name as in performance-targets.md, e.g. "W5 durable commit, 1 writer".</param>
/// <param name="Slot">Slot length of the store it used (null when no store is involved).</param>
/// <param name="Ops">Operations measured.</param>
/// <param name="Elapsed">Wall time of the measured part.</param>
/// <param name="Note">Ratios, latencies, retries, or what went wrong.</param>
/// <param name="Failed">True when the workload threw or produced wrong results.</param>
internal sealed record BenchResult(string Workload, int? Slot, long Ops, TimeSpan Elapsed, string Note, bool Failed = false)
{
    public double OpsPerSecond => Elapsed > TimeSpan.Zero ? Ops / Elapsed.TotalSeconds : 0;

    public static BenchResult Failure(string workload, int? slot, Exception e) =>
        new(workload, slot, 0, TimeSpan.Zero, $"FAILED: {e.GetType().Name}: {e.Message}", Failed: true);
}
