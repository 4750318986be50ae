namespace Sop.Errors;

/// <summary>A store name that breaks the naming rule (1-64 chars of [A-Za-z0-9_.-], not starting with '.').</summary>
public class InvalidStoreNameException : InvalidArgumentException
{
    /// <summary>Creates the exception with a message.</summary>
    public InvalidStoreNameException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvalidStoreNameException(string message, Exception inner) : base(message, inner) { }
}
