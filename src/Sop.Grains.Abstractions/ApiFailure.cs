namespace Sop.Grains.Abstractions;

/// <summary>Why a call failed, in terms the HTTP API maps to a status (never an exception the client cannot read).</summary>
[GenerateSerializer, Alias("sop.failureKind")]
public enum ApiFailureKind
{
    /// <summary>Malformed input: bad name, key, body, mode, operation, macro or arguments (400).</summary>
    Invalid,

    /// <summary>Unknown store, item, macro or task (404).</summary>
    NotFound,

    /// <summary>A store that exists already, a conflict lost after the retries, a task that already ended (409).</summary>
    Conflict,

    /// <summary>An operation or macro step failed on its own terms, or no LLM is configured (422).</summary>
    Unprocessable,

    /// <summary>The silo could not serve it now (storage or Redis trouble, a deadline; 503).</summary>
    Unavailable,
}

/// <summary>A typed failure of a grain call.</summary>
/// <param name="Kind">What kind of failure (maps to the HTTP status).</param>
/// <param name="Detail">The human-readable reason (the problem details' <c>detail</c>).</param>
/// <param name="StepIndex">The failing step of a macro run.</param>
/// <param name="OperationIndex">The failing operation of a transaction.</param>
[GenerateSerializer, Immutable, Alias("sop.failure")]
public sealed record ApiFailure(
    [property: Id(0)] ApiFailureKind Kind,
    [property: Id(1)] string Detail,
    [property: Id(2)] int? StepIndex = null,
    [property: Id(3)] int? OperationIndex = null);
