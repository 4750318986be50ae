using Sop.Errors;

namespace Sop.Compute.Errors;

/// <summary>No macro has this name: HTTP 404.</summary>
public class MacroNotFoundException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public MacroNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public MacroNotFoundException(string message, Exception inner) : base(message, inner) { }
}
