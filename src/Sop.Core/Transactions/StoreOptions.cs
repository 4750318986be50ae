namespace Sop.Transactions;

/// <summary>What a new store looks like.</summary>
/// <param name="Name">Store name (1-64 chars of [A-Za-z0-9_.-], not starting with '.').</param>
public sealed record StoreOptions(string Name)
{
    /// <summary>Items per node, 4..10000.</summary>
    public int SlotLength { get; init; } = SopDefaults.SlotLength;

    /// <summary>True: one item per key. False: duplicates allowed (kept in insertion order).</summary>
    public bool UniqueKeys { get; init; } = true;

    /// <summary>True: values inside the node blob (large ones still go to their own blob). False: every value in its own blob.</summary>
    public bool ValueInNode { get; init; } = true;

    /// <summary>Free text.</summary>
    public string? Description { get; init; }
}
