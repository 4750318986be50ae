namespace Sop.Bench.Comparison;

/// <summary>One cell of the table: the median rate over the runs where the workload ran, or what went wrong.</summary>
internal sealed record Cell(double? OpsPerSecond, string? Wrong, string Note);

/// <summary>One store's row: its reports from every run folded into medians.</summary>
internal sealed class StoreSummary
{
    public StoreSummary(Stores.IStoreKind kind, IReadOnlyList<StoreReport> runs)
    {
        Kind = kind;
        Skipped = runs.Select(r => r.Skipped).FirstOrDefault(s => s is not null);
        Errors = runs.Select(r => r.Error).OfType<string>().Distinct().ToList();
        foreach (var (id, _) in WorkloadIds.All)
        {
            var outcomes = runs.SelectMany(r => r.Workloads).Where(w => w.Id == id).ToList();
            if (outcomes.Count == 0) continue;
            string? wrong = outcomes.Select(o => o.Wrong).FirstOrDefault(w => w is not null);
            Cells[id] = new Cell(wrong is null ? Median(outcomes.Select(o => o.OpsPerSecond)) : null, wrong, outcomes[0].Note);
        }
        PeakWorkingSetMb = MedianOrNull(runs.Select(r => r.PeakWorkingSetBytes));
        BaselineWorkingSetMb = MedianOrNull(runs.Select(r => r.BaselineWorkingSetBytes));
    }

    public Stores.IStoreKind Kind { get; }

    public string? Skipped { get; }

    public IReadOnlyList<string> Errors { get; }

    public Dictionary<string, Cell> Cells { get; } = [];

    public double? PeakWorkingSetMb { get; }

    public double? BaselineWorkingSetMb { get; }

    /// <summary>True when it ran and every workload's check passed in every run.</summary>
    public bool ChecksPassed => Skipped is null && Errors.Count == 0 && Cells.Values.All(c => c.Wrong is null);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double? MedianOrNull(IEnumerable<long?> bytes)
    {
        var values = bytes.OfType<long>().Select(b => b / 1e6).ToList();
        return values.Count == 0 ? null : Median(values);
    }
}
