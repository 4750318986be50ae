namespace Sop.Trees;

/// <summary>The natural order of a comparable key type (<see cref="Comparer{T}.Default"/>); its id names the type.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
public sealed class DefaultKeyComparer<TKey> : SopKeyComparer<TKey>
{
    /// <summary>The shared instance.</summary>
    public static readonly DefaultKeyComparer<TKey> Instance = new();

    /// <inheritdoc />
    public override string Id => "default:" + typeof(TKey).FullName;

    /// <inheritdoc />
    public override int Compare(TKey? x, TKey? y) => Comparer<TKey>.Default.Compare(x!, y!);
}
