using Sop.Errors;

namespace Sop.Compute.Errors;

/// <summary>No task has this id: HTTP 404.</summary>
public class TaskNotFoundException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public TaskNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TaskNotFoundException(string message, Exception inner) : base(message, inner) { }
}
