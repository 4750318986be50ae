namespace Sop.Errors;

/// <summary>The named store does not exist in this database folder.</summary>
public class StoreNotFoundException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public StoreNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StoreNotFoundException(string message, Exception inner) : base(message, inner) { }
}
