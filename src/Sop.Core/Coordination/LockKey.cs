namespace Sop.Coordination;

/// <summary>
/// A scent: the name of a lock, scoped by the database folder's identity (never its path) and the store, e.g.
/// <c>&lt;dbId&gt;:&lt;store&gt;:n:&lt;nodeId&gt;</c>. Keys are acquired in ordinal order, so lockers never deadlock.
/// </summary>
/// <param name="Value">The key text.</param>
public readonly record struct LockKey(string Value) : IComparable<LockKey>
{
    /// <summary>The lock of one node of a store.</summary>
    public static LockKey ForNode(Guid databaseId, string store, Ids.NodeId node) => new($"{databaseId:N}:{store}:n:{node.Value:N}");

    /// <summary>The lock that serializes creating and deleting a store name.</summary>
    public static LockKey ForStoreName(Guid databaseId, string store) => new($"{databaseId:N}:{store}:store");

    /// <inheritdoc />
    public int CompareTo(LockKey other) => string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
