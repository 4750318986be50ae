namespace Sop.Errors;

/// <summary>A store was opened with a key comparer or key/value types other than the ones it was created with.</summary>
public class StoreMismatchException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public StoreMismatchException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StoreMismatchException(string message, Exception inner) : base(message, inner) { }
}
