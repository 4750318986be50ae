using System.Text.Json.Nodes;

namespace Sop.Compute.Macros;

/// <summary>
/// One step of a macro. Which fields matter depends on <see cref="Kind"/>; string fields of data, ask and call steps
/// may hold <c>{{args.x}}</c> / <c>{{vars.y}}</c> placeholders.
/// </summary>
public sealed record MacroStep
{
    /// <summary>What the step does.</summary>
    public required StepKind Kind { get; init; }

    /// <summary>The JavaScript of a script step; its <c>return</c> value is the step's result.</summary>
    public string? Code { get; init; }

    /// <summary>The store of a data step.</summary>
    public string? Store { get; init; }

    /// <summary>The key of a get, put or remove step.</summary>
    public string? Key { get; init; }

    /// <summary>The value of a put step (any JSON; strings inside may hold placeholders).</summary>
    public JsonNode? Value { get; init; }

    /// <summary>Inclusive lower bound of a range step.</summary>
    public string? From { get; init; }

    /// <summary>Exclusive upper bound of a range step.</summary>
    public string? To { get; init; }

    /// <summary>Most items a range step reads (default 100).</summary>
    public int? Limit { get; init; }

    /// <summary>The variable that receives the step's result.</summary>
    public string? Into { get; init; }

    /// <summary>The prompt of an ask step.</summary>
    public string? Prompt { get; init; }

    /// <summary>The macro a call step runs.</summary>
    public string? Macro { get; init; }

    /// <summary>The arguments a call step passes (strings inside may hold placeholders).</summary>
    public JsonObject? Args { get; init; }
}
