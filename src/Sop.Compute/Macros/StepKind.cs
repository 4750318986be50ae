namespace Sop.Compute.Macros;

/// <summary>What a macro step does.</summary>
public enum StepKind
{
    /// <summary>JavaScript run in a sandbox (Jint) with <c>args</c>, <c>vars</c>, <c>tx</c>, <c>ask</c> and <c>call</c>.</summary>
    Script,

    /// <summary>Reads one item into a variable.</summary>
    Get,

    /// <summary>Upserts one item.</summary>
    Put,

    /// <summary>Removes one item.</summary>
    Remove,

    /// <summary>Reads a key range into a variable.</summary>
    Range,

    /// <summary>Asks the configured LLM; the answer goes into a variable.</summary>
    Ask,

    /// <summary>Runs another macro.</summary>
    Call,
}
