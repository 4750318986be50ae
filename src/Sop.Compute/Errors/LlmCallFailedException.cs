using Sop.Errors;

namespace Sop.Compute.Errors;

/// <summary>The configured LLM could not be reached or answered with an error: a step error (HTTP 422), never a 5xx.</summary>
public class LlmCallFailedException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public LlmCallFailedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LlmCallFailedException(string message, Exception inner) : base(message, inner) { }
}
