using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Concurrency;
using Sop.Errors;
using Sop.Grains.Abstractions;
using Sop.Grains.Abstractions.Data;
using Sop.Hosting;

namespace Sop.Grains.Data;

/// <summary>
/// Runs a whole transaction in one call on this silo's engine. Lost conflicts (the engine merges what it can first)
/// are retried within the request budget (decisions.md 14: 10 s, below Orleans' response timeout), then reported as
/// a conflict; an operation that fails on its own terms rolls everything back.
/// </summary>
[StatelessWorker]
internal sealed class TransactionGrain(ISopEngineAccessor engines) : Grain, ITransactionGrain
{
    /// <summary>
    /// Nesting the grain accepts: the HTTP layer holds values to the contract's 64 levels, and an item call wraps its
    /// value three levels deep in a transaction request.
    /// </summary>
    private const int EnvelopeDepth = 72;

    /// <summary>A request's budget, retries included.</summary>
    internal static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    public async Task<ApiReply> Run(string requestJson)
    {
        try
        {
            var (mode, operations) = TxRequestParser.Parse(JsonNode.Parse(requestJson, documentOptions: new JsonDocumentOptions { MaxDepth = EnvelopeDepth }));
            var engine = await engines.GetEngineAsync();
            var deadline = DateTime.UtcNow + Budget;
            for (int attempt = 1; ; attempt++)
            {
                await using var tx = await engine.BeginAsync(mode, deadline - DateTime.UtcNow + TimeSpan.FromSeconds(1));
                try
                {
                    var results = TxExecutor.Run(tx, operations);
                    await tx.CommitAsync();
                    return ApiReply.Ok(new JsonObject { ["committed"] = true, ["results"] = results }.ToJsonString());
                }
                catch (TransactionConflictException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(Random.Shared.Next(1, Math.Min(50, 1 << Math.Min(attempt, 6)) + 1));
                }
            }
        }
        catch (RequestInvalidException e)
        {
            return ApiReply.Fail(ApiFailureKind.Invalid, e.Message, operationIndex: e.OperationIndex);
        }
        catch (StoreMissingException e)
        {
            return ApiReply.Fail(ApiFailureKind.NotFound, e.Message, operationIndex: e.OperationIndex);
        }
        catch (OperationFailedException e)
        {
            return ApiReply.Fail(ApiFailureKind.Unprocessable, e.Message, operationIndex: e.OperationIndex);
        }
        catch (TransactionConflictException e)
        {
            return ApiReply.Fail(ApiFailureKind.Conflict, "the transaction kept losing conflicts with concurrent transactions until its budget ran out; nothing was committed: " + e.Message);
        }
        catch (JsonException e)
        {
            return ApiReply.Fail(ApiFailureKind.Invalid, "malformed JSON: " + e.Message);
        }
        catch (Exception e) when (e is CoordinationUnavailableException or StorageException or TransactionTimeoutException)
        {
            return ApiReply.Fail(ApiFailureKind.Unavailable, e.Message);
        }
    }
}
