using System.Text.Json.Nodes;
using Sop.Compute.Running;
using Sop.Transactions;

namespace Sop.Compute.Tasks;

/// <summary>
/// Exactly-once effects of one claimed sub-task (decisions.md 24): the completion marker commits in the same
/// transaction as the (last) effects, and each <c>perStep</c> step commits an idempotence record. Both first check, in
/// that transaction, that this agent still owns the claim, so a run whose lease was taken over can never commit.
/// </summary>
internal sealed class SubTaskJournal(SopEngine engine, string taskId, int index, string agent) : IRunJournal
{
    public void Completing(Transaction tx, JsonNode? result)
    {
        var table = new TaskTable(tx);
        var sub = Owned(table);
        table.PutSub(taskId, sub with { State = SubTaskState.Done, Result = result?.DeepClone(), Error = null, Owner = null, FinishedBy = agent });
        table.UnmarkClaimed(taskId, index);
    }

    public bool TryGetDoneStep(int step, out JsonNode? result, out JsonObject? vars)
    {
        var tx = engine.Begin(TransactionMode.NoCheck);
        try
        {
            var record = new TaskTable(tx).GetJournal(taskId, index, step);
            result = record?.Result;
            vars = record?.Vars;
            return record is not null;
        }
        finally
        {
            tx.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public void StepDone(Transaction tx, int step, JsonNode? result, JsonObject vars)
    {
        var table = new TaskTable(tx);
        Owned(table);
        if (table.GetJournal(taskId, index, step) is not null) throw new SubTaskLostException($"step {step} of sub-task {index} was already done by another agent");
        table.PutJournal(taskId, index, step, new StepJournalRecord(result?.DeepClone(), (JsonObject)vars.DeepClone()));
    }

    private SubTaskRecord Owned(TaskTable table)
    {
        var sub = table.GetSub(taskId, index);
        if (sub is not { State: SubTaskState.Claimed } || sub.Owner != agent)
            throw new SubTaskLostException($"sub-task {index} of task {taskId} is no longer claimed by {agent}");
        return sub;
    }
}
