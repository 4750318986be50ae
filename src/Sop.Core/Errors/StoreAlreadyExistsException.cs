namespace Sop.Errors;

/// <summary>A store with this name already exists.</summary>
public class StoreAlreadyExistsException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public StoreAlreadyExistsException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StoreAlreadyExistsException(string message, Exception inner) : base(message, inner) { }
}
