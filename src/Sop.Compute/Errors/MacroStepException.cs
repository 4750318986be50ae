using Sop.Errors;

namespace Sop.Compute.Errors;

/// <summary>
/// A macro step failed on its own terms (a script error or limit, a missing store, an LLM failure, a call too deep):
/// HTTP 422 with <see cref="StepIndex"/>. With <c>single</c> scope nothing was committed; with <c>perStep</c> the
/// steps before it stay committed.
/// </summary>
public class MacroStepException : SopException
{
    /// <summary>Creates the exception.</summary>
    public MacroStepException(string macro, int stepIndex, string message, Exception? inner = null)
        : base($"macro '{macro}' step {stepIndex}: {message}", inner ?? new InvalidOperationException(message))
    {
        Macro = macro;
        StepIndex = stepIndex;
        Reason = message;
    }

    /// <summary>The macro whose step failed (the outermost one for a failing call).</summary>
    public string Macro { get; }

    /// <summary>The failing step, 0-based, in the macro that was run.</summary>
    public int StepIndex { get; }

    /// <summary>Why it failed, without the macro and step prefix.</summary>
    public string Reason { get; }
}
