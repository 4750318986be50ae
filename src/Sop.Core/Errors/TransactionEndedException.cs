namespace Sop.Errors;

/// <summary>The transaction was used after it committed, rolled back or was disposed.</summary>
public class TransactionEndedException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public TransactionEndedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TransactionEndedException(string message, Exception inner) : base(message, inner) { }
}
