using System.Text.Json.Nodes;

namespace Sop.Compute.Running;

/// <summary>The mutable state of one macro run: arguments, variables, memoized LLM answers, call depth, deadline.</summary>
internal sealed class RunState(JsonObject args, DateTime deadline, CancellationToken cancellationToken, Dictionary<string, string>? answers = null, int depth = 0)
{
    public JsonObject Args { get; } = args;

    public JsonObject Vars { get; set; } = [];

    /// <summary>Answers per prompt, shared with called macros and kept across conflict replays, so a replay does not ask again (decisions.md 23).</summary>
    public Dictionary<string, string> Answers { get; } = answers ?? new(StringComparer.Ordinal);

    public int Depth { get; } = depth;

    public DateTime Deadline { get; } = deadline;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The state a called macro runs with: its own arguments and variables, the caller's answers and deadline.</summary>
    public RunState ForCall(JsonObject callArgs) => new(callArgs, Deadline, CancellationToken, Answers, Depth + 1);
}
