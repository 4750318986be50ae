using System.Diagnostics.Metrics;

namespace Sop.Compute.Diagnostics;

/// <summary>Metrics of the compute swarm (System.Diagnostics.Metrics): macro runs and sub-task throughput.</summary>
public static class ComputeMetrics
{
    /// <summary>The meter name to subscribe to.</summary>
    public const string MeterName = "Sop.Compute";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> MacroRuns = Meter.CreateCounter<long>("sop.macro.runs", "{run}", "macro runs, by outcome (committed, failed, conflict)");

    internal static readonly Counter<long> SubTasksClaimed = Meter.CreateCounter<long>("sop.subtasks.claimed", "{subtask}", "sub-tasks claimed by agents");

    internal static readonly Counter<long> SubTasksCompleted = Meter.CreateCounter<long>("sop.subtasks.completed", "{subtask}", "sub-tasks completed");

    internal static readonly Counter<long> SubTasksFailed = Meter.CreateCounter<long>("sop.subtasks.failed", "{subtask}", "sub-tasks failed for good after their retries");

    internal static void Run(string outcome) => MacroRuns.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
