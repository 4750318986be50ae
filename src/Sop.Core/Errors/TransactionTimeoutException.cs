namespace Sop.Errors;

/// <summary>The transaction ran longer than its maximum time.</summary>
public class TransactionTimeoutException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public TransactionTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TransactionTimeoutException(string message, Exception inner) : base(message, inner) { }
}
