namespace Sop.Errors;

/// <summary>
/// The lock server (Redis in clustered mode) could not be reached after the configured retries. The transaction was
/// not committed and was rolled back; retrying later is safe.
/// </summary>
public class CoordinationUnavailableException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public CoordinationUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CoordinationUnavailableException(string message, Exception inner) : base(message, inner) { }
}
