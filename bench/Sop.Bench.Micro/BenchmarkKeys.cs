using System.Globalization;

namespace Sop.Bench.Micro;

/// <summary>The keys of the console harness (<c>"k"</c> plus 15 digits, 16 bytes) and 100-byte values, from a fixed seed.</summary>
internal static class BenchmarkKeys
{
    public static string Key(long i) => "k" + i.ToString("D15", CultureInfo.InvariantCulture);

    public static byte[] Value(Random random)
    {
        var value = new byte[100];
        random.NextBytes(value);
        return value;
    }
}
