using System.Text.Json;

namespace Sop.Bench.Comparison;

/// <summary>One workload of one store in one run.</summary>
/// <param name="Id">W1 … W7.</param>
/// <param name="Ops">Operations measured.</param>
/// <param name="Seconds">Wall time of the measured part (the median pass for W2-W4).</param>
/// <param name="Wrong">Null when the workload's check passed, else what was wrong (or the exception).</param>
/// <param name="Note">Settings worth knowing (slot length, passes).</param>
internal sealed record WorkloadOutcome(string Id, long Ops, double Seconds, string? Wrong, string Note)
{
    public double OpsPerSecond => Seconds > 0 ? Ops / Seconds : 0;
}

/// <summary>What one store did in one run; a child process writes it as JSON for the parent.</summary>
/// <param name="StoreId">The store's <c>--stores</c> id.</param>
/// <param name="Skipped">Null when it ran, else why it could not (e.g. a native library missing).</param>
/// <param name="Workloads">The workloads in run order.</param>
/// <param name="PeakWorkingSetBytes">Peak working set (VmHWM) of the process right after W2; null in-process.</param>
/// <param name="BaselineWorkingSetBytes">The same peak before the store was opened (runtime, test data, warm-up).</param>
/// <param name="Error">Null unless the whole run failed (e.g. the child process died).</param>
internal sealed record StoreReport(
    string StoreId,
    string? Skipped,
    IReadOnlyList<WorkloadOutcome> Workloads,
    long? PeakWorkingSetBytes = null,
    long? BaselineWorkingSetBytes = null,
    string? Error = null)
{
    public bool AllChecksPassed => Error is null && Workloads.All(w => w.Wrong is null);

    public string ToJson() => JsonSerializer.Serialize(this);

    public static StoreReport FromJson(string json) =>
        JsonSerializer.Deserialize<StoreReport>(json) ?? throw new InvalidDataException("empty store report");
}
