namespace Sop.Compute.Running;

/// <summary>Limits of the compute swarm (configuration section <c>Sop:Compute</c>).</summary>
public sealed class ComputeOptions
{
    /// <summary>Wall-clock limit of one script step (Jint TimeoutInterval).</summary>
    public TimeSpan ScriptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Statements one script step may execute (Jint MaxStatements).</summary>
    public int ScriptMaxStatements { get; set; } = 1_000_000;

    /// <summary>Bytes one script step may allocate, approximately (Jint LimitMemory).</summary>
    public long ScriptMemoryBytes { get; set; } = 32L << 20;

    /// <summary>Call depth of JavaScript functions (Jint LimitRecursion).</summary>
    public int ScriptRecursionDepth { get; set; } = 64;

    /// <summary>How deep macros may call macros (stops recursion bombs).</summary>
    public int MaxCallDepth { get; set; } = 8;

    /// <summary>Time a run may take, conflict retries included (decisions.md 14: a request gets 10 s).</summary>
    public TimeSpan RunBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Items a range step or <c>tx.range</c> returns when no limit is given.</summary>
    public int DefaultRangeLimit { get; set; } = 100;

    /// <summary>Largest limit of a range step or <c>tx.range</c>.</summary>
    public int MaxRangeLimit { get; set; } = 10_000;

    /// <summary>Attempts of a sub-task before it is failed (its error recorded); a poison input fails only its sub-task.</summary>
    public int SubTaskMaxAttempts { get; set; } = 3;

    /// <summary>How long a claimed sub-task stays an agent's; past it another agent may claim it again.</summary>
    public TimeSpan SubTaskLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sub-tasks an agent claims in one transaction, and runs in one transaction when they all succeed (one commit for the batch).</summary>
    public int ClaimBatch { get; set; } = 64;

    /// <summary>Most inputs of one fan-out task (the contract's 100000).</summary>
    public int MaxTaskInputs { get; set; } = 100_000;
}
