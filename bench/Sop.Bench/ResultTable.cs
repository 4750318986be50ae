using System.Globalization;
using System.Runtime.InteropServices;

namespace Sop.Bench;

/// <summary>Prints the run's header (machine facts, sizes) and the results as a Markdown table.</summary>
internal static class ResultTable
{
    public static void PrintHeader(TextWriter output, BenchArgs args, BenchContext ctx)
    {
        output.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}), "
                         + $"{RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run: N = {ctx.N:N0}, M = {ctx.M:N0}, keys {BenchContext.KeyLength} B, values {BenchContext.ValueLength} B, seed {args.Seed}, "
            + $"slot {args.Slot} (durable rows {args.SlotForDurable}), data under {ctx.Root}"));
        output.WriteLine($"load average at start: {LoadAverage()} (other processes on this machine skew the numbers)");
        output.WriteLine("timings drift (durable rows ±30 % within an hour, reads ±15-20 %): compare ratios within one run, never numbers across runs.");
    }

    public static void Print(TextWriter output, IReadOnlyList<BenchResult> results)
    {
        string[] head = ["workload", "slot", "ops", "seconds", "ops/s", "note"];
        var rows = results.Select(r => new[]
        {
            r.Workload,
            r.Slot?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.Ops.ToString("N0", CultureInfo.InvariantCulture),
            r.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture),
            r.Failed && r.Ops == 0 ? "-" : FormatRate(r.OpsPerSecond),
            r.Note,
        }).ToList();
        var widths = head.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(row => row[c].Length))).ToArray();
        bool[] right = [false, true, true, true, true, false];

        output.WriteLine(Line(head));
        output.WriteLine("|" + string.Join("|", widths.Select((w, c) => right[c] ? new string('-', w + 1) + ":" : ":" + new string('-', w + 1))) + "|");
        foreach (var row in rows) output.WriteLine(Line(row));

        string Line(string[] cells) =>
            "| " + string.Join(" | ", cells.Select((cell, c) => right[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))) + " |";
    }

    /// <summary>The 1/5/15-minute load averages from /proc/loadavg, or "unknown" off Linux.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>1234567 → "1.23M", 45600 → "45.6k", 812 → "812".</summary>
    public static string FormatRate(double perSecond) => perSecond switch
    {
        >= 1e6 => (perSecond / 1e6).ToString("F2", CultureInfo.InvariantCulture) + "M",
        >= 1e5 => (perSecond / 1e3).ToString("F0", CultureInfo.InvariantCulture) + "k",
        >= 1e3 => (perSecond / 1e3).ToString("F2", CultureInfo.InvariantCulture) + "k",
        _ => perSecond.ToString("F0", CultureInfo.InvariantCulture),
    };
}
