using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Sop.Compute.Diagnostics;

/// <summary>Metrics of the compute swarm (System.Diagnostics.Metrics): macro runs, sub-task throughput and the backlog.</summary>
public static class ComputeMetrics
{
    /// <summary>The meter name to subscribe to.</summary>
    public const string MeterName = "Sop.Compute";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> MacroRuns = Meter.CreateCounter<long>("sop.macro.runs", "{run}", "macro runs, by outcome (committed, failed, conflict)");

    internal static readonly Counter<long> SubTasksClaimed = Meter.CreateCounter<long>("sop.subtasks.claimed", "{subtask}", "sub-tasks claimed by agents");

    internal static readonly Counter<long> SubTasksCompleted = Meter.CreateCounter<long>("sop.subtasks.completed", "{subtask}", "sub-tasks completed");

    internal static readonly Counter<long> SubTasksFailed = Meter.CreateCounter<long>("sop.subtasks.failed", "{subtask}", "sub-tasks failed for good after their retries");

    /// <summary>Per database (folder id): sub-tasks of unfinished tasks not yet completed or failed, as of the last look.</summary>
    private static readonly ConcurrentDictionary<string, long> Outstanding = new();

    /// <summary>
    /// The queue depth: read from the database by every silo's sweep, so each silo reports the same folder-wide
    /// value (aggregate with max, not sum).
    /// </summary>
    internal static readonly ObservableGauge<long> OutstandingSubTasks = Meter.CreateObservableGauge("sop.subtasks.outstanding",
        () => Outstanding.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("sop.database", p.Key))),
        "{subtask}", "sub-tasks of unfinished tasks that are queued or running (folder-wide, as of the last sweep)");

    internal static void SetOutstanding(Guid database, long subTasks) => Outstanding[database.ToString("N")] = subTasks;

    internal static void Run(string outcome) => MacroRuns.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
