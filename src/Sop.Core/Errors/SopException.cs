namespace Sop.Errors;

/// <summary>Base type of every error the engine raises on purpose.</summary>
public class SopException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public SopException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SopException(string message, Exception inner) : base(message, inner) { }
}
