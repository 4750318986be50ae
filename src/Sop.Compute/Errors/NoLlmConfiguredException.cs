using Sop.Errors;

namespace Sop.Compute.Errors;

/// <summary>An ask step or a goal-only task needs an LLM and none is configured (Sop:Llm:Endpoint): HTTP 422.</summary>
public class NoLlmConfiguredException : SopException
{
    /// <summary>Creates the exception with a message.</summary>
    public NoLlmConfiguredException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public NoLlmConfiguredException(string message, Exception inner) : base(message, inner) { }
}
