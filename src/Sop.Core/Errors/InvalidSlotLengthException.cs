namespace Sop.Errors;

/// <summary>A slot length outside 4..10000.</summary>
public class InvalidSlotLengthException : InvalidArgumentException
{
    /// <summary>Creates the exception with a message.</summary>
    public InvalidSlotLengthException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvalidSlotLengthException(string message, Exception inner) : base(message, inner) { }
}
