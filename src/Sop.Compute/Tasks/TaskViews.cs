using System.Text.Json.Nodes;

namespace Sop.Compute.Tasks;

/// <summary>Where a task stands.</summary>
public enum TaskStatus
{
    /// <summary>No sub-task claimed yet (or a goal waiting for the planner).</summary>
    Queued,

    /// <summary>Some sub-tasks are claimed or done.</summary>
    Running,

    /// <summary>Every sub-task completed or failed (see <see cref="TaskView.Failed"/>).</summary>
    Completed,

    /// <summary>The task itself could not run (planning failed).</summary>
    Failed,

    /// <summary>Cancelled, and no sub-task is running any more.</summary>
    Cancelled,
}

/// <summary>A task submission: a fan-out (<see cref="Macro"/> and <see cref="Inputs"/>) or a goal for the LLM planner.</summary>
/// <param name="Macro">The macro to run once per input.</param>
/// <param name="Inputs">One argument object per sub-task.</param>
/// <param name="Goal">Free text; alone, the LLM planner turns it into sub-tasks.</param>
public sealed record TaskRequest(string? Macro, IReadOnlyList<JsonObject>? Inputs, string? Goal);

/// <summary>One sub-task's result.</summary>
/// <param name="Index">The sub-task (its input's position).</param>
/// <param name="Result">The macro's result.</param>
/// <param name="Agent">The agent that ran it (which silo did the work).</param>
public sealed record SubTaskResult(int Index, JsonNode? Result, string? Agent = null);

/// <summary>One sub-task's final error.</summary>
/// <param name="Index">The sub-task (-1: the task's own planning).</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Agent">The agent that gave up on it.</param>
public sealed record SubTaskError(int Index, string Error, string? Agent = null);

/// <summary>A task and its progress, derived from its sub-task records.</summary>
public sealed record TaskView
{
    /// <summary>The task id.</summary>
    public required string Id { get; init; }

    /// <summary>Where it stands.</summary>
    public required TaskStatus Status { get; init; }

    /// <summary>Sub-tasks in all (0 until a goal is planned).</summary>
    public int Total { get; init; }

    /// <summary>Sub-tasks that succeeded.</summary>
    public int Completed { get; init; }

    /// <summary>Sub-tasks that failed after their retries.</summary>
    public int Failed { get; init; }

    /// <summary>The fan-out macro, if any.</summary>
    public string? Macro { get; init; }

    /// <summary>The goal text, if any.</summary>
    public string? Goal { get; init; }

    /// <summary>When it was submitted.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>Results of completed sub-tasks (empty in lists).</summary>
    public IReadOnlyList<SubTaskResult> Results { get; init; } = [];

    /// <summary>Errors of failed sub-tasks, or the planning error (index -1).</summary>
    public IReadOnlyList<SubTaskError> Errors { get; init; } = [];
}
