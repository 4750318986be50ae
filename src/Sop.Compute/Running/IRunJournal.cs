using System.Text.Json.Nodes;
using Sop.Transactions;

namespace Sop.Compute.Running;

/// <summary>
/// Lets a caller commit its own bookkeeping together with a run's effects, so the run has exactly-once effects
/// (decisions.md 24): a sub-task's completion marker for <c>single</c> scope, an idempotence record per step for
/// <c>perStep</c> (a retry skips the steps already done).
/// </summary>
internal interface IRunJournal
{
    /// <summary>Called inside the transaction that finishes the run (<c>single</c>: the only one; <c>perStep</c>: the last step's), right before it commits.</summary>
    void Completing(Transaction tx, JsonNode? result);

    /// <summary><c>perStep</c> scope: whether an earlier attempt already committed this step (and what it left).</summary>
    bool TryGetDoneStep(int index, out JsonNode? result, out JsonObject? vars);

    /// <summary><c>perStep</c> scope: called inside the step's transaction right before it commits.</summary>
    void StepDone(Transaction tx, int index, JsonNode? result, JsonObject vars);
}
