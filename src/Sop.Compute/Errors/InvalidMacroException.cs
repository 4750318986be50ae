using Sop.Errors;

namespace Sop.Compute.Errors;

/// <summary>A macro definition is malformed (bad name, unknown step kind, missing field, a script that does not parse): HTTP 400.</summary>
public class InvalidMacroException : InvalidArgumentException
{
    /// <summary>Creates the exception with a message.</summary>
    public InvalidMacroException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvalidMacroException(string message, Exception inner) : base(message, inner) { }
}
