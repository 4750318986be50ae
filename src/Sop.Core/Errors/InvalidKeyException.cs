namespace Sop.Errors;

/// <summary>A null key, or a key longer than 1024 bytes (UTF-8 for strings, serialized form otherwise).</summary>
public class InvalidKeyException : InvalidArgumentException
{
    /// <summary>Creates the exception with a message.</summary>
    public InvalidKeyException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvalidKeyException(string message, Exception inner) : base(message, inner) { }
}
