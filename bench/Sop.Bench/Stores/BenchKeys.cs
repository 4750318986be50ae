using System.Text;

namespace Sop.Bench.Stores;

/// <summary>
/// The keys of one workload in both forms the stores take: text (SopOrleans' string store) and its ASCII bytes
/// (the peers' byte keys). Both are built before timing starts, so no store pays for a conversion.
/// </summary>
internal sealed class BenchKeys
{
    public BenchKeys(string[] text)
    {
        Text = text;
        Bytes = new byte[text.Length][];
        for (int i = 0; i < text.Length; i++) Bytes[i] = Encoding.ASCII.GetBytes(text[i]);
    }

    public string[] Text { get; }

    public byte[][] Bytes { get; }

    public int Count => Text.Length;
}
