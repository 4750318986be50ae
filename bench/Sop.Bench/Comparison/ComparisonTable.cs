using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Sop.Bench.Comparison;

/// <summary>
/// The comparison as Markdown: the machine and run facts, one row per store (ops/s per workload, peak working set
/// after W1-W2, checks), the best peer per column and SopOrleans' ratio to it, then settings and notes.
/// </summary>
internal static class ComparisonTable
{
    private const string PeakColumn = "peak WS after W1-W2";

    public static string Render(RunHeader header, IReadOnlyList<StoreSummary> stores)
    {
        var args = header.Args;
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"# SopOrleans vs embedded stores, {header.Started:yyyy-MM-dd HH:mm} ({ResultsFile.MachineName(args)})");
        text.AppendLine();
        text.AppendLine(inv, $"- machine: {Environment.MachineName}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}), {RuntimeInformation.FrameworkDescription}");
        text.AppendLine(inv, $"- load average (1/5/15 min): {header.LoadAverageAtStart} at start, {header.LoadAverageAtEnd} at end");
        text.AppendLine(inv, $"- N = {args.N:N0} items (W1-W4, W7's store), M = {args.M:N0} transactions (W5-W7), keys {BenchContext.KeyLength} B, values {BenchContext.ValueLength} B, seed {args.Seed}");
        text.AppendLine(inv, $"- {args.RunCount} run(s), median per cell; {(args.InProcess ? "every store in this one process (peak working set not measured)" : "each store in a fresh child process per run")}; an unmeasured small pass per store first{(args.Warmup ? "" : " (skipped: --no-warmup)")}");
        text.AppendLine(inv, $"- limit of a serial durable commit here (append 100 B + fsync, median of runs): {ResultTable.FormatRate(header.FsyncLimitPerSecond)}/s");
        text.AppendLine("- ops/s, higher is better; peak working set, lower is better. The last row is SopOrleans ÷ the best peer: above 1× we are ahead in ops/s, below 1× we use less memory.");
        text.AppendLine("- Timings drift (durable rows ±30 % within an hour, reads ±15-20 %): compare ratios within one run.");
        text.AppendLine();

        var peers = stores.Where(s => s.Kind.IsPeer && s.Skipped is null).ToList();
        var ours = stores.FirstOrDefault(s => s.Kind.IsOurs);
        string[] head = ["store", .. WorkloadIds.All.Select(w => w.Title), PeakColumn, "checks"];
        var rows = new List<string[]>();
        foreach (var store in stores)
        {
            rows.Add([store.Kind.Name, .. WorkloadIds.All.Select(w => CellText(store, w.Id)), PeakText(store), ChecksText(store)]);
        }
        if (peers.Count > 0)
        {
            var best = WorkloadIds.All.Select(w => BestPeer(peers, w.Id)).ToList();
            var smallest = peers.Where(p => p.PeakWorkingSetMb is not null).MinBy(p => p.PeakWorkingSetMb);
            rows.Add(["best peer", .. best.Select(b => b is { } x ? $"{ResultTable.FormatRate(x.Rate)} {x.Name}" : "-"),
                smallest is null ? "-" : $"{smallest.PeakWorkingSetMb:F0} MB {smallest.Kind.Name}", ""]);
            if (ours is not null)
            {
                rows.Add([$"**{ours.Kind.Name} ÷ best peer**",
                    .. WorkloadIds.All.Select((w, i) => Ratio(ours.Cells.GetValueOrDefault(w.Id)?.OpsPerSecond, best[i]?.Rate)),
                    Ratio(ours.PeakWorkingSetMb, smallest?.PeakWorkingSetMb), ""]);
            }
        }
        AppendTable(text, head, rows);
        text.AppendLine();
        text.Append(inv, $"W1: one transaction of N inserts in shuffled order, durable commit included. W2: N point reads in another shuffled order in one read transaction, after a warm-up pass. ");
        text.Append(inv, $"W3: a full ordered scan with values; W4: the same, keys only (each after a check scan). W2-W4 show the median of {Repeat.ReadPasses} passes. ");
        text.Append(inv, $"W5: M one-key durable transactions, one writer, empty store. W6: the same with {WorkloadIds.W6Writers} concurrent writers (tasks) on a store pre-loaded with N/10 keys spread over the same range. ");
        text.Append("W7: M durable updates of random existing keys of an N-item store, one writer. Every workload checks its result (counts, key order, values read back); a failed check shows WRONG. ");
        text.Append(inv, $"{PeakColumn}: the child process's peak resident set (VmHWM) read right after W2 (so W1 and W2 only), in brackets how much of it came after the test data was generated and the warm-up ran.");
        text.AppendLine();
        text.AppendLine();
        text.AppendLine("## Settings");
        text.AppendLine();
        foreach (var store in stores) text.AppendLine(inv, $"- **{store.Kind.Name}**: {store.Kind.Settings}");
        text.AppendLine();
        text.AppendLine("## Notes");
        text.AppendLine();
        foreach (var store in stores)
        {
            if (store.Skipped is not null) text.AppendLine(inv, $"- {store.Kind.Name}: skipped: {store.Skipped}");
            foreach (string error in store.Errors) text.AppendLine(inv, $"- {store.Kind.Name}: FAILED: {error}");
            foreach (var (id, cell) in store.Cells.Where(c => c.Value.Wrong is not null)) text.AppendLine(inv, $"- {store.Kind.Name} {id}: WRONG: {cell.Wrong}");
            var notes = store.Cells.Where(c => c.Value.Wrong is null && c.Value.Note.Length > 0).Select(c => $"{c.Key} {c.Value.Note}").ToList();
            if (notes.Count > 0) text.AppendLine(inv, $"- {store.Kind.Name}: {string.Join("; ", notes)}");
        }
        return text.ToString();
    }

    private static string CellText(StoreSummary store, string id)
    {
        if (store.Skipped is not null) return "skipped";
        if (!store.Cells.TryGetValue(id, out var cell)) return "-";
        return cell.Wrong is not null ? "WRONG" : ResultTable.FormatRate(cell.OpsPerSecond ?? 0);
    }

    private static string PeakText(StoreSummary store) =>
        store.PeakWorkingSetMb is { } peak
            ? string.Create(CultureInfo.InvariantCulture, $"{peak:F0} MB (+{peak - (store.BaselineWorkingSetMb ?? 0):F0})")
            : "-";

    private static string ChecksText(StoreSummary store) =>
        store.Skipped is not null ? "skipped" : store.ChecksPassed ? "ok" : "FAILED";

    private static (double Rate, string Name)? BestPeer(IEnumerable<StoreSummary> peers, string id) =>
        peers.Select(p => (Rate: p.Cells.GetValueOrDefault(id)?.OpsPerSecond, p.Kind.Name))
            .Where(p => p.Rate is > 0)
            .Select(p => ((double Rate, string Name)?)(p.Rate!.Value, p.Name))
            .MaxBy(p => p!.Value.Rate);

    private static string Ratio(double? ours, double? best) =>
        ours is > 0 && best is > 0 ? string.Create(CultureInfo.InvariantCulture, $"**{ours.Value / best.Value:F2}×**") : "-";

    private static void AppendTable(StringBuilder text, string[] head, List<string[]> rows)
    {
        var widths = head.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        string Line(string[] cells) =>
            "| " + string.Join(" | ", cells.Select((cell, c) => c == 0 || c == cells.Length - 1 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))) + " |";
        text.AppendLine(Line(head));
        text.AppendLine("|" + string.Join("|", widths.Select((w, c) => c == 0 || c == widths.Length - 1 ? ":" + new string('-', w + 1) : new string('-', w + 1) + ":")) + "|");
        foreach (var row in rows) text.AppendLine(Line(row));
    }
}
