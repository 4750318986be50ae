using Jint;
using Jint.Runtime;
using Sop.Compute.Errors;
using Sop.Errors;

namespace Sop.Compute.Running;

/// <summary>
/// Turns what a step threw into the step error the caller sees (HTTP 422 with the step index), naming the limit a
/// script hit. Conflicts and cancellation are not step errors: they pass through to be retried or to stop the run.
/// </summary>
internal static class StepFailures
{
    public static bool IsStepFailure(Exception e) =>
        e is not (TransactionConflictException or OperationCanceledException or CoordinationUnavailableException or StorageException)
        && (e is SopException or JintException or TimeoutException or ArgumentException or FormatException or System.Text.Json.JsonException);

    public static MacroStepException Describe(string macro, int step, Exception e, ComputeOptions options) =>
        e switch
        {
            MacroStepException inner => new MacroStepException(macro, step, $"call to macro '{inner.Macro}' failed at its step {inner.StepIndex}: {inner.Reason}", inner),
            TimeoutException => new MacroStepException(macro, step, $"the script ran longer than its time limit ({options.ScriptTimeout.TotalMilliseconds:F0} ms)", e),
            StatementsCountOverflowException => new MacroStepException(macro, step, $"the script exceeded its statement limit ({options.ScriptMaxStatements})", e),
            MemoryLimitExceededException => new MacroStepException(macro, step, $"the script exceeded its memory limit ({options.ScriptMemoryBytes} bytes)", e),
            RecursionDepthOverflowException => new MacroStepException(macro, step, $"the script exceeded its recursion limit ({options.ScriptRecursionDepth})", e),
            JavaScriptException js => new MacroStepException(macro, step, $"script error: {js.Message}{Where(js)}", e),
            ExecutionCanceledException => new MacroStepException(macro, step, "the script was cancelled", e),
            _ => new MacroStepException(macro, step, e.Message, e),
        };

    private static string Where(JavaScriptException js) => js.Location.Start.Line > 0 ? $" (line {js.Location.Start.Line - 1})" : "";
}
