namespace Sop.Bench.Comparison;

/// <summary>The facts about a comparison run that the results file states above the table.</summary>
internal sealed class RunHeader(BenchArgs args, DateTime started, string loadAverageAtStart)
{
    public BenchArgs Args { get; } = args;

    public DateTime Started { get; } = started;

    public string LoadAverageAtStart { get; } = loadAverageAtStart;

    public string LoadAverageAtEnd { get; set; } = "unknown";

    /// <summary>Median over the runs of "append 100 B + fsync" per second.</summary>
    public double FsyncLimitPerSecond { get; set; }
}
