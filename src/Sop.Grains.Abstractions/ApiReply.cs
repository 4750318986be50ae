namespace Sop.Grains.Abstractions;

/// <summary>The answer of a grain call: JSON text on success (what the HTTP API returns), or a typed failure.</summary>
/// <param name="Json">The result as JSON text (null on failure).</param>
/// <param name="Failure">Why it failed (null on success).</param>
/// <param name="Created">True when the call created something new (a store, a macro).</param>
[GenerateSerializer, Immutable, Alias("sop.reply")]
public sealed record ApiReply([property: Id(0)] string? Json, [property: Id(1)] ApiFailure? Failure, [property: Id(2)] bool Created = false)
{
    /// <summary>A success carrying JSON text.</summary>
    public static ApiReply Ok(string json, bool created = false) => new(json, null, created);

    /// <summary>A failure.</summary>
    public static ApiReply Fail(ApiFailureKind kind, string detail, int? stepIndex = null, int? operationIndex = null) =>
        new(null, new ApiFailure(kind, detail, stepIndex, operationIndex));
}
