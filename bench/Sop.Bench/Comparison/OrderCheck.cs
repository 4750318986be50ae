using System.Text;
using Sop.Bench.Stores;

namespace Sop.Bench.Comparison;

/// <summary>
/// The unmeasured check scan of a store: every key strictly after the one before (byte order), every value of the
/// expected length, and the expected number of items.
/// </summary>
internal sealed class OrderCheck(long expected, bool keysOnly)
{
    private readonly byte[] _previous = new byte[1024];
    private int _previousLength = -1;
    private long _count;
    private string? _wrong;

    public static async ValueTask<string?> RunAsync(IKvStore store, long expected, bool keysOnly)
    {
        var check = new OrderCheck(expected, keysOnly);
        var stats = await store.ScanAsync(keysOnly, check.Visit);
        return check._wrong
               ?? (check._count != expected ? $"check scan saw {check._count} items, expected {expected}" : null)
               ?? (stats.Count != check._count ? $"scan reported {stats.Count} items but visited {check._count}" : null);
    }

    private void Visit(ReadOnlySpan<byte> key, int valueLength)
    {
        _count++;
        if (_wrong is not null) return;
        if (_previousLength >= 0 && key.SequenceCompareTo(_previous.AsSpan(0, _previousLength)) <= 0)
            _wrong = $"scan order broken: '{Encoding.ASCII.GetString(key)}' after '{Encoding.ASCII.GetString(_previous, 0, _previousLength)}'";
        else if (valueLength != (keysOnly ? 0 : BenchContext.ValueLength))
            _wrong = $"value of '{Encoding.ASCII.GetString(key)}' has {valueLength} bytes";
        key.CopyTo(_previous);
        _previousLength = key.Length;
        if (_count > expected) _wrong = $"scan returned more than {expected} items";
    }
}
