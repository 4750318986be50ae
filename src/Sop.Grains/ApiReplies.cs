using System.Text.Json;
using Sop.Compute.Errors;
using Sop.Errors;
using Sop.Grains.Abstractions;
using Sop.Grains.Abstractions.Compute;

namespace Sop.Grains;

/// <summary>Turns what the engine and the compute swarm throw into typed replies the client can always read (no exception crosses the wire).</summary>
internal static class ApiReplies
{
    public static async Task<ApiReply> GuardAsync(Func<Task<ApiReply>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (Map(e) is { } reply)
        {
            return reply;
        }
    }

    private static ApiReply? Map(Exception e) => e switch
    {
        MacroStepException step => ApiReply.Fail(ApiFailureKind.Unprocessable, step.Message, step.StepIndex),
        MacroNotFoundException or TaskNotFoundException or StoreNotFoundException => ApiReply.Fail(ApiFailureKind.NotFound, e.Message),
        TransactionConflictException => ApiReply.Fail(ApiFailureKind.Conflict, "the run kept losing conflicts with concurrent transactions; nothing was committed: " + e.Message),
        TaskAlreadyEndedException => ApiReply.Fail(ApiFailureKind.Conflict, e.Message),
        NoLlmConfiguredException or LlmCallFailedException => ApiReply.Fail(ApiFailureKind.Unprocessable, e.Message),
        InvalidArgumentException or JsonException => ApiReply.Fail(ApiFailureKind.Invalid, e.Message),
        CoordinationUnavailableException or StorageException or TransactionTimeoutException => ApiReply.Fail(ApiFailureKind.Unavailable, e.Message),
        _ => null,
    };
}
