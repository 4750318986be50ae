namespace Sop.Registry;

/// <summary>What recovery found for a logical id in the registry.</summary>
public enum RecoveryLookup
{
    /// <summary>No live handle.</summary>
    Absent,

    /// <summary>A live, intact handle.</summary>
    Found,

    /// <summary>The id's record is damaged; the commit log must rewrite it.</summary>
    Damaged,
}
