namespace Sop.Grains.Abstractions.Data;

/// <summary>
/// Runs one whole transaction per call, in-flight, on whichever silo received it (no grain owns a store). Conflicts
/// are retried inside, within the request's budget.
/// </summary>
[Alias("sop.ITransactionGrain")]
public interface ITransactionGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Runs the contract's transaction body (<c>{"mode":...,"operations":[...]}</c>); the reply is
    /// <c>{"committed":true,"results":[...]}</c> or a failure naming the operation.
    /// </summary>
    [Alias("run")]
    Task<ApiReply> Run(string requestJson);
}
