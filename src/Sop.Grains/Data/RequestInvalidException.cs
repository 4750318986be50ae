namespace Sop.Grains.Data;

/// <summary>A request that does not meet the contract (HTTP 400), optionally naming the operation.</summary>
internal sealed class RequestInvalidException(string message, int? operationIndex = null) : Exception(message)
{
    public int? OperationIndex { get; } = operationIndex;
}

/// <summary>An operation that failed on its own terms (HTTP 422): nothing of the transaction is committed.</summary>
internal sealed class OperationFailedException(string message, int operationIndex) : Exception(message)
{
    public int OperationIndex { get; } = operationIndex;
}
