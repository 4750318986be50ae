using Sop.Errors;

namespace Sop.Compute.Errors;

/// <summary>The task already ended, so it cannot be cancelled: HTTP 409.</summary>
public class TaskAlreadyEndedException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public TaskAlreadyEndedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TaskAlreadyEndedException(string message, Exception inner) : base(message, inner) { }
}
