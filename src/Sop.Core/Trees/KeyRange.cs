namespace Sop.Trees;

/// <summary>A half-open key range <c>[From, To)</c>; either bound may be absent (decisions.md 30).</summary>
/// <typeparam name="TKey">The key type.</typeparam>
public readonly record struct KeyRange<TKey>
{
    /// <summary>The inclusive lower bound, when <see cref="HasFrom"/>.</summary>
    public TKey? From { get; init; }

    /// <summary>True when there is a lower bound.</summary>
    public bool HasFrom { get; init; }

    /// <summary>The exclusive upper bound, when <see cref="HasTo"/>.</summary>
    public TKey? To { get; init; }

    /// <summary>True when there is an upper bound.</summary>
    public bool HasTo { get; init; }

    /// <summary>Every key.</summary>
    public static KeyRange<TKey> All => default;

    /// <summary>Keys k with from &lt;= k &lt; to.</summary>
    public static KeyRange<TKey> Between(TKey from, TKey to) => new() { From = from, HasFrom = true, To = to, HasTo = true };

    /// <summary>Keys k with from &lt;= k.</summary>
    public static KeyRange<TKey> AtLeast(TKey from) => new() { From = from, HasFrom = true };

    /// <summary>Keys k with k &lt; to.</summary>
    public static KeyRange<TKey> Below(TKey to) => new() { To = to, HasTo = true };
}
