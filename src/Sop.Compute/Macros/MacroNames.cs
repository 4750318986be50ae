using System.Text.RegularExpressions;

namespace Sop.Compute.Macros;

/// <summary>The macro name rule: 1-64 characters of <c>[A-Za-z0-9_-]</c> (names double as LLM tool names).</summary>
public static partial class MacroNames
{
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Pattern();

    /// <summary>True when <paramref name="name"/> is a valid macro name.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);
}
