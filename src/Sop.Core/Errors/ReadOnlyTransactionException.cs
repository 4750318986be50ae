namespace Sop.Errors;

/// <summary>A write was attempted in a ForReading or NoCheck transaction.</summary>
public class ReadOnlyTransactionException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public ReadOnlyTransactionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ReadOnlyTransactionException(string message, Exception inner) : base(message, inner) { }
}
