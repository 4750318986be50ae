using System.Text.Json.Nodes;

namespace Sop.Compute.Running;

/// <summary>What a macro run returned: the last step's result, committed.</summary>
/// <param name="Result">The last step's result (any JSON, null included).</param>
/// <param name="Committed">True once its transaction(s) committed.</param>
public sealed record MacroRunResult(JsonNode? Result, bool Committed);
