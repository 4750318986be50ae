namespace Sop.Ids;

/// <summary>
/// Identity of one item. Tells duplicates apart and orders equal keys: ids are time-ordered (UUID v7 layout),
/// and ids made by one process are strictly increasing, so equal keys keep insertion order.
/// </summary>
/// <param name="Value">The underlying UUID.</param>
public readonly record struct ItemId(Guid Value) : IComparable<ItemId>
{
    private static long s_last;

    /// <summary>Creates a new id greater than every id this process made before.</summary>
    public static ItemId New()
    {
        // Layout: 48-bit Unix milliseconds, version nibble 7, 12-bit counter, variant, 62 random bits.
        // One interlocked tick over (ms << 12 | counter) keeps ids strictly increasing within the process;
        // a counter overflow borrows from the next millisecond, which keeps the order.
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 12;
        long last, next;
        do
        {
            last = Volatile.Read(ref s_last);
            next = Math.Max(now, last + 1);
        }
        while (Interlocked.CompareExchange(ref s_last, next, last) != last);

        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[8..]);
        long ms = next >> 12;
        int counter = (int)(next & 0xFFF);
        for (int i = 0; i < 6; i++) bytes[i] = (byte)(ms >> (40 - (8 * i)));
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new ItemId(new Guid(bytes, bigEndian: true));
    }

    /// <summary>Compares ids in big-endian byte order (= creation order for ids made by <see cref="New"/>).</summary>
    public int CompareTo(ItemId other)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        Value.TryWriteBytes(a, bigEndian: true, out _);
        other.Value.TryWriteBytes(b, bigEndian: true, out _);
        return a.SequenceCompareTo(b);
    }

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");
}
