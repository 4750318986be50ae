namespace Sop.Errors;

/// <summary>A key whose serialized form is longer than 1024 bytes, or a null key.</summary>
public class KeyTooLargeException : InvalidArgumentException
{
    /// <summary>Creates the exception with a message.</summary>
    public KeyTooLargeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public KeyTooLargeException(string message, Exception inner) : base(message, inner) { }
}
