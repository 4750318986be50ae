namespace Sop.Trees;

/// <summary>
/// Orders strings by the bytes of their UTF-8 encoding (= Unicode code point order), without encoding them:
/// UTF-16 ordinal order differs only where a surrogate meets a character in U+E000..U+FFFF, which is fixed up.
/// </summary>
public sealed class Utf8OrdinalComparer : SopKeyComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static readonly Utf8OrdinalComparer Instance = new();

    /// <inheritdoc />
    public override string Id => "utf8";

    /// <inheritdoc />
    public override int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int common = x.AsSpan().CommonPrefixLength(y);
        if (common == x.Length || common == y.Length) return x.Length.CompareTo(y.Length);
        return Weight(x[common]).CompareTo(Weight(y[common]));
    }

    // Surrogates (U+D800..U+DFFF) encode code points above U+FFFF, so they sort after U+E000..U+FFFF.
    internal static int Weight(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
