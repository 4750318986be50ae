using System.Runtime.InteropServices;
using Sop.Nodes;

namespace Sop.Trees;

/// <summary>
/// A search aid for a frozen node whose string keys are in UTF-8 byte order: the keys' common prefix and, per key,
/// the next three characters packed into one <c>ulong</c>. A binary search then probes one contiguous array instead
/// of a string object per step (each a likely cache miss on a warm but large tree) and compares whole keys only
/// among the few whose packed characters tie.
/// </summary>
/// <remarks>
/// Packing keeps the order: characters become their UTF-8 order weight plus one (17 bits each), a key that ends
/// early packs zeros, so <c>a &lt; b</c> implies <c>pack(a) &lt;= pack(b)</c> for keys with the common prefix.
/// </remarks>
internal sealed class StringKeyIndex
{
    private const int PackedChars = 3;
    private readonly string[] _keys;
    private readonly string _prefix;
    private readonly ulong[] _packed;

    private StringKeyIndex(string[] keys, string prefix, ulong[] packed)
    {
        _keys = keys;
        _prefix = prefix;
        _packed = packed;
    }

    /// <summary>Indexes a node's keys, which must be sorted by <see cref="Utf8OrdinalComparer"/>.</summary>
    public static StringKeyIndex Build<TValue>(List<Item<string, TValue>> items)
    {
        var span = CollectionsMarshal.AsSpan(items);
        var keys = new string[span.Length];
        for (int i = 0; i < keys.Length; i++) keys[i] = span[i].Key;
        // In a sorted run the first and the last key share exactly the prefix that every key shares.
        string prefix = keys.Length == 0 ? "" : keys[0][..keys[0].AsSpan().CommonPrefixLength(keys[^1])];
        var packed = new ulong[keys.Length];
        for (int i = 0; i < keys.Length; i++) packed[i] = Pack(keys[i], prefix.Length);
        return new StringKeyIndex(keys, prefix, packed);
    }

    /// <summary>How many keys are below <paramref name="key"/> (the lower bound), as a binary search with the comparer would say.</summary>
    public int CountBelow(string key)
    {
        int common = key.AsSpan().CommonPrefixLength(_prefix);
        if (common < _prefix.Length)
        {
            // The key leaves the shared prefix: it sorts before every key or after every key.
            if (common == key.Length) return 0;
            return Utf8OrdinalComparer.Weight(key[common]) < Utf8OrdinalComparer.Weight(_prefix[common]) ? 0 : _keys.Length;
        }
        ulong p = Pack(key, _prefix.Length);
        int lo = FirstNotBelow(p, 0, _packed.Length);
        int hi = FirstNotBelow(p + 1, lo, _packed.Length); // p + 1 cannot overflow: packs use 51 bits
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Utf8OrdinalComparer.Instance.Compare(_keys[mid], key) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>The first index in [lo, hi) whose packed characters are not below <paramref name="p"/>.</summary>
    private int FirstNotBelow(ulong p, int lo, int hi)
    {
        var packed = _packed;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (packed[mid] < p) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static ulong Pack(string key, int from)
    {
        ulong packed = 0;
        for (int i = 0; i < PackedChars; i++)
        {
            int at = from + i;
            ulong w = at < key.Length ? (ulong)Utf8OrdinalComparer.Weight(key[at]) + 1 : 0;
            packed = (packed << 17) | w;
        }
        return packed;
    }
}
