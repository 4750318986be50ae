namespace Sop.Trees;

/// <summary>A key order with a persisted identity: a store remembers the id it was created with and refuses another (decisions.md 8).</summary>
/// <typeparam name="TKey">The key type.</typeparam>
public abstract class SopKeyComparer<TKey> : IComparer<TKey>
{
    /// <summary>Stable identity written into the store info, e.g. <c>"utf8"</c>.</summary>
    public abstract string Id { get; }

    /// <inheritdoc />
    public abstract int Compare(TKey? x, TKey? y);
}
