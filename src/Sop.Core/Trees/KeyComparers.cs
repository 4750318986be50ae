namespace Sop.Trees;

/// <summary>Picks the default comparer for a key type: UTF-8 byte order for strings, the natural order otherwise.</summary>
public static class KeyComparers
{
    /// <summary>The comparer a store uses when none is given.</summary>
    public static SopKeyComparer<TKey> Default<TKey>() =>
        typeof(TKey) == typeof(string) ? (SopKeyComparer<TKey>)(object)Utf8OrdinalComparer.Instance : DefaultKeyComparer<TKey>.Instance;
}
