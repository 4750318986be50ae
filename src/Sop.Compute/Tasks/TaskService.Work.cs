using Sop.Compute.Errors;
using Sop.Compute.Running;
using Sop.Errors;

namespace Sop.Compute.Tasks;

public sealed partial class TaskService
{
    /// <summary>
    /// An agent's share of a task: plans a goal-only task (one agent asks the LLM), then claims sub-tasks in batches
    /// (a transaction each, with a lease) and runs them, until nothing is left to claim. Sub-tasks claimed by agents
    /// that died are claimed again once their lease ran out, so the agent waits for live leases to end (bounded) before
    /// it returns. Returns how many sub-tasks this agent completed or failed for good.
    /// </summary>
    public async Task<int> WorkAsync(string id, string agent, CancellationToken cancellationToken = default)
    {
        if (!TaskKeys.IsValidId(id)) return 0;
        await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        int finished = 0;
        var idleSince = _time.GetUtcNow();
        var pace = new ClaimPace(_options);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var header = await InTransactionAsync(table => table.GetHeader(id), cancellationToken).ConfigureAwait(false);
            if (header is null || header.PlanError is not null || header.Cancelled) return finished;
            if (!header.Planned)
            {
                if (!await TaskPlanner.TryPlanAsync(this, header, cancellationToken).ConfigureAwait(false))
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false); // another agent plans it
                continue;
            }
            var claimed = await ClaimAsync(id, header.Total, agent, pace.BatchSize, cancellationToken).ConfigureAwait(false);
            Diagnostics.ComputeMetrics.SubTasksClaimed.Add(claimed.Count);
            if (claimed.Count > 0)
            {
                long started = _time.GetTimestamp();
                finished += await RunClaimedAsync(id, claimed, agent, cancellationToken).ConfigureAwait(false);
                pace.Observe(claimed.Count, _time.GetElapsedTime(started));
                idleSince = _time.GetUtcNow();
                continue;
            }
            var (requeued, live, nextExpiry) = await RequeueExpiredAsync(id, cancellationToken).ConfigureAwait(false);
            if (requeued > 0) continue;
            // Nothing to claim. Either the task is done, or other agents hold the rest: wait for them (their leases
            // come back if they died), but not forever: the periodic sweep of unfinished tasks resumes it later.
            if (live == 0 || _time.GetUtcNow() - idleSince > 2 * _options.SubTaskLease) return finished;
            var wait = TimeSpan.FromMilliseconds(Math.Clamp(nextExpiry - _time.GetUtcNow().ToUnixTimeMilliseconds(), 20, 500));
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    internal Task<List<SubTaskRecord>> ClaimAsync(string id, int total, string agent, int batchSize, CancellationToken cancellationToken)
    {
        return InTransactionAsync(table =>
        {
            var claimed = new List<SubTaskRecord>();
            if (total == 0) return claimed;
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            // Agents start at random points of the queue so they rarely fight over the same sub-tasks.
            foreach (int index in table.Queued(id, Random.Shared.Next(total), batchSize))
            {
                table.Dequeue(id, index);
                var sub = table.GetSub(id, index);
                if (sub is not { State: SubTaskState.Pending }) continue;
                var mine = sub with { State = SubTaskState.Claimed, Attempts = sub.Attempts + 1, Owner = agent, LeaseUntilUnixMs = now + (long)_options.SubTaskLease.TotalMilliseconds };
                table.PutSub(id, mine);
                table.MarkClaimed(id, index);
                claimed.Add(mine);
            }
            return claimed;
        }, cancellationToken);
    }

    /// <summary>
    /// Runs claimed sub-tasks: together in one transaction when they can (one commit for the batch), else one by one.
    /// Returns how many ended for good.
    /// </summary>
    private async Task<int> RunClaimedAsync(string id, List<SubTaskRecord> claimed, string agent, CancellationToken cancellationToken)
    {
        if (claimed.Count > 1)
        {
            var runs = claimed.Select(sub => (sub.Macro, sub.Args, (IRunJournal)new SubTaskJournal(_engine, id, sub.Index, agent))).ToList();
            if (await _runner.TryRunBatchAsync(runs, cancellationToken).ConfigureAwait(false))
            {
                Diagnostics.ComputeMetrics.SubTasksCompleted.Add(claimed.Count);
                return claimed.Count;
            }
        }
        int finished = 0;
        foreach (var sub in claimed) finished += await RunSubTaskAsync(id, sub, agent, cancellationToken).ConfigureAwait(false);
        return finished;
    }

    /// <summary>Runs one claimed sub-task; 1 when it ended for good (done, or failed after its attempts).</summary>
    private async Task<int> RunSubTaskAsync(string id, SubTaskRecord sub, string agent, CancellationToken cancellationToken)
    {
        try
        {
            await _runner.RunAsync(sub.Macro, sub.Args, new SubTaskJournal(_engine, id, sub.Index, agent), cancellationToken).ConfigureAwait(false);
            Diagnostics.ComputeMetrics.SubTasksCompleted.Add(1);
            return 1;
        }
        catch (SubTaskLostException)
        {
            return 0; // its lease ran out and another agent owns it now
        }
        catch (Exception e) when (e is SopException and not (StorageException or CoordinationUnavailableException))
        {
            // a step error, bad arguments, a missing macro, conflicts beyond the budget: recorded, retried (bounded)
            int failed = await RecordFailureAsync(id, sub.Index, agent, e.Message, cancellationToken).ConfigureAwait(false);
            Diagnostics.ComputeMetrics.SubTasksFailed.Add(failed);
            return failed;
        }
    }

    private Task<int> RecordFailureAsync(string id, int index, string agent, string error, CancellationToken cancellationToken) =>
        InTransactionAsync(table =>
        {
            var sub = table.GetSub(id, index);
            if (sub is not { State: SubTaskState.Claimed } || sub.Owner != agent) return 0;
            table.UnmarkClaimed(id, index);
            if (sub.Attempts >= _options.SubTaskMaxAttempts)
            {
                table.PutSub(id, sub with { State = SubTaskState.Failed, Error = error, Owner = null, FinishedBy = agent });
                return 1;
            }
            table.PutSub(id, sub with { State = SubTaskState.Pending, Error = error, Owner = null });
            table.Enqueue(id, index);
            return 0;
        }, cancellationToken);

    /// <summary>Puts sub-tasks whose lease ran out back into the queue (or fails them when their attempts are spent).</summary>
    private Task<(int Requeued, int Live, long NextExpiry)> RequeueExpiredAsync(string id, CancellationToken cancellationToken) =>
        InTransactionAsync(table =>
        {
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            int requeued = 0, live = 0;
            long nextExpiry = long.MaxValue;
            foreach (var sub in table.ClaimedSubs(id))
            {
                if (sub.State != SubTaskState.Claimed)
                {
                    table.UnmarkClaimed(id, sub.Index); // a stale marker: only the sub-task record says who holds it
                    continue;
                }
                if (sub.LeaseUntilUnixMs > now)
                {
                    live++;
                    nextExpiry = Math.Min(nextExpiry, sub.LeaseUntilUnixMs);
                    continue;
                }
                string error = $"the agent running it stopped answering (lease of {_options.SubTaskLease.TotalSeconds:F0} s ran out)";
                table.UnmarkClaimed(id, sub.Index);
                if (sub.Attempts >= _options.SubTaskMaxAttempts)
                {
                    table.PutSub(id, sub with { State = SubTaskState.Failed, Error = sub.Error ?? error, Owner = null });
                }
                else
                {
                    table.PutSub(id, sub with { State = SubTaskState.Pending, Error = sub.Error ?? error, Owner = null });
                    table.Enqueue(id, sub.Index);
                }
                requeued++;
            }
            return (requeued, live, nextExpiry);
        }, cancellationToken);

    internal Task<T> PlanningTransactionAsync<T>(Func<TaskTable, T> body, CancellationToken cancellationToken) => InTransactionAsync(body, cancellationToken);

    internal Microsoft.Extensions.AI.IChatClient? Chat => _chat;

    internal Tools.MacroToolCatalogue Tools => _tools;

    internal TimeProvider Time => _time;

    internal ComputeOptions Options => _options;
}
