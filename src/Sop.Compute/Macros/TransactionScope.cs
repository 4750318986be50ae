namespace Sop.Compute.Macros;

/// <summary>How a macro's steps are grouped into engine transactions.</summary>
public enum TransactionScope
{
    /// <summary>All steps are one transaction: all or nothing; a conflict replays the whole macro.</summary>
    Single,

    /// <summary>Each step commits on its own; a failing step leaves the earlier ones committed.</summary>
    PerStep,
}
