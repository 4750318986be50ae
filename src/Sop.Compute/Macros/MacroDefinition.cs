namespace Sop.Compute.Macros;

/// <summary>
/// A macro: logic stored as data in the database (system store <c>.macros</c>), so every silo sees a new or changed
/// macro at once. Its name and parameters make it an LLM tool too.
/// </summary>
public sealed record MacroDefinition
{
    /// <summary>1-64 characters of <c>[A-Za-z0-9_-]</c> (a valid LLM tool name).</summary>
    public string Name { get; init; } = "";

    /// <summary>What it does (shown to agents).</summary>
    public string? Description { get; init; }

    /// <summary>Its arguments; a run's arguments are checked against them.</summary>
    public IReadOnlyList<MacroParameter> Parameters { get; init; } = [];

    /// <summary>One transaction for all steps, or one per step.</summary>
    public TransactionScope TransactionScope { get; init; } = TransactionScope.Single;

    /// <summary>The steps, run in order.</summary>
    public IReadOnlyList<MacroStep> Steps { get; init; } = [];
}
