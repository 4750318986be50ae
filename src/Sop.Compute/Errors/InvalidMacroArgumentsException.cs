using Sop.Errors;

namespace Sop.Compute.Errors;

/// <summary>A run's arguments do not match the macro's parameters (missing required, wrong type): HTTP 400.</summary>
public class InvalidMacroArgumentsException : InvalidArgumentException
{
    /// <summary>Creates the exception with a message.</summary>
    public InvalidMacroArgumentsException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvalidMacroArgumentsException(string message, Exception inner) : base(message, inner) { }
}
