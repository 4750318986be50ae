using System.Text.Json.Nodes;

namespace Sop.Compute.Tasks;

/// <summary>A task's header in <c>.tasks</c> (key <c>h/&lt;id&gt;</c>). Progress is never kept here (no hot key): it is derived from the sub-task records.</summary>
internal sealed record TaskHeader
{
    public required string Id { get; init; }

    public string? Macro { get; init; }

    public string? Goal { get; init; }

    public long CreatedUnixMs { get; init; }

    /// <summary>Sub-tasks in all; 0 until a goal-only task is planned.</summary>
    public int Total { get; init; }

    /// <summary>False while a goal-only task waits for the LLM planner.</summary>
    public bool Planned { get; init; }

    /// <summary>Set when planning failed: the task itself could not run.</summary>
    public string? PlanError { get; init; }

    /// <summary>A planner holds the planning until then (so only one asks the LLM).</summary>
    public long PlanningUntilUnixMs { get; init; }

    public bool Cancelled { get; init; }

    /// <summary>
    /// Set once the task was seen ended, with its final status and counters, so lists and sweeps stop reading every
    /// sub-task record of finished tasks (an ended task never changes again).
    /// </summary>
    public TaskStatus? EndedAs { get; init; }

    public int FinalCompleted { get; init; }

    public int FinalFailed { get; init; }
}

/// <summary>The state of one sub-task.</summary>
internal enum SubTaskState
{
    Pending,
    Claimed,
    Done,
    Failed,
}

/// <summary>One sub-task (key <c>s/&lt;id&gt;/&lt;index&gt;</c>): a macro run with its arguments, and how it went.</summary>
internal sealed record SubTaskRecord
{
    public required int Index { get; init; }

    public required string Macro { get; init; }

    public JsonObject Args { get; init; } = [];

    public SubTaskState State { get; init; }

    public int Attempts { get; init; }

    public long LeaseUntilUnixMs { get; init; }

    public string? Owner { get; init; }

    public JsonNode? Result { get; init; }

    public string? Error { get; init; }

    /// <summary>The agent that completed or failed it for good.</summary>
    public string? FinishedBy { get; init; }
}

/// <summary>A <c>perStep</c> step a sub-task already committed (key <c>j/&lt;id&gt;/&lt;index&gt;/&lt;step&gt;</c>).</summary>
internal sealed record StepJournalRecord(JsonNode? Result, JsonObject? Vars);
