namespace Sop.Errors;

/// <summary>Bad input from the caller (a name, a slot length, a key); nothing was changed.</summary>
public class InvalidArgumentException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public InvalidArgumentException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvalidArgumentException(string message, Exception inner) : base(message, inner) { }
}
