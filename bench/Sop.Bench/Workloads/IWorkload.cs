namespace Sop.Bench.Workloads;

/// <summary>One workload of the harness; it produces one or more table rows.</summary>
internal interface IWorkload
{
    /// <summary>Short id for <c>--only</c>: FSYNC, W1 … W5, W6A, W6B, W6C, W7.</summary>
    string Id { get; }

    /// <summary>Row title as in performance-targets.md (used for the failure row).</summary>
    string Title { get; }

    /// <summary>Slot length of the store it uses, or null when it uses none.</summary>
    int? Slot(BenchContext ctx);

    Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext ctx);
}
