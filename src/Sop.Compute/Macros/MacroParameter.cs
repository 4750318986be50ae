namespace Sop.Compute.Macros;

/// <summary>One named argument of a macro (also the LLM tool's parameter).</summary>
public sealed record MacroParameter
{
    /// <summary>The argument name.</summary>
    public required string Name { get; init; }

    /// <summary>The JSON type it must have.</summary>
    public ParameterType Type { get; init; } = ParameterType.String;

    /// <summary>Whether a run must pass it.</summary>
    public bool Required { get; init; }

    /// <summary>What it means (shown to the LLM).</summary>
    public string? Description { get; init; }
}
