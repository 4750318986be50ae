namespace Sop.Errors;

/// <summary>An I/O error (disk full, permission, device error) stopped the operation; the transaction was rolled back.</summary>
public class StorageException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public StorageException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StorageException(string message, Exception inner) : base(message, inner) { }
}
