namespace Sop.Compute.Tasks;

/// <summary>Derives a task's status and counters from its sub-task records (decisions.md 24: no hot counter key).</summary>
internal static class Progress
{
    /// <summary>The view of a task whose end is recorded in its header (no sub-task record read), or null.</summary>
    public static TaskView? Final(TaskHeader header) =>
        header.EndedAs is not { } status
            ? null
            : new TaskView
            {
                Id = header.Id,
                Status = status,
                Total = header.Total,
                Completed = header.FinalCompleted,
                Failed = header.FinalFailed,
                Macro = header.Macro,
                Goal = header.Goal,
                Created = DateTimeOffset.FromUnixTimeMilliseconds(header.CreatedUnixMs),
            };

    public static TaskView Of(TaskHeader header, IEnumerable<SubTaskRecord> subs, long nowUnixMs, bool withDetails)
    {
        int completed = 0, failed = 0, touched = 0, running = 0;
        var results = new List<SubTaskResult>();
        var errors = new List<SubTaskError>();
        foreach (var sub in subs)
        {
            switch (sub.State)
            {
                case SubTaskState.Done:
                    completed++;
                    if (withDetails) results.Add(new SubTaskResult(sub.Index, sub.Result, sub.FinishedBy));
                    break;
                case SubTaskState.Failed:
                    failed++;
                    if (withDetails) errors.Add(new SubTaskError(sub.Index, sub.Error ?? "failed", sub.FinishedBy));
                    break;
                case SubTaskState.Claimed:
                    if (sub.LeaseUntilUnixMs > nowUnixMs) running++;
                    break;
            }
            if (sub.State != SubTaskState.Pending || sub.Attempts > 0) touched++;
        }
        if (header.PlanError is not null) errors.Add(new SubTaskError(-1, header.PlanError));
        var status = header switch
        {
            { PlanError: not null } => TaskStatus.Failed,
            { Planned: true } when completed + failed == header.Total => TaskStatus.Completed,
            { Cancelled: true } => running > 0 ? TaskStatus.Running : TaskStatus.Cancelled,
            _ => touched > 0 ? TaskStatus.Running : TaskStatus.Queued,
        };
        return new TaskView
        {
            Id = header.Id,
            Status = status,
            Total = header.Total,
            Completed = completed,
            Failed = failed,
            Macro = header.Macro,
            Goal = header.Goal,
            Created = DateTimeOffset.FromUnixTimeMilliseconds(header.CreatedUnixMs),
            Results = results,
            Errors = withDetails ? errors : [],
        };
    }
}
