using Sop.Transactions;

namespace Sop.Bench.Workloads;

/// <summary>The unmeasured warm-up scan of W3 and W4: loads every node into L1 and checks count, order and values.</summary>
internal static class ScanCheck
{
    /// <summary>Null when the store holds exactly <paramref name="expected"/> items in ascending key order; else what is wrong.</summary>
    public static async ValueTask<string?> VerifyAsync(SopEngine engine, int expected, bool keysOnly)
    {
        await using var tx = engine.Begin(TransactionMode.NoCheck, BenchContext.LongTransaction);
        var store = tx.OpenStore<string, byte[]>(BenchContext.StoreName);
        long count = 0;
        string? previous = null;
        foreach (var item in store.Scan(keysOnly: keysOnly))
        {
            if (previous is not null && string.CompareOrdinal(previous, item.Key) >= 0)
                return $"scan order broken: '{previous}' before '{item.Key}'";
            if (!keysOnly && item.Value is not { Length: BenchContext.ValueLength })
                return $"value of '{item.Key}' has {item.Value?.Length.ToString() ?? "no"} bytes";
            previous = item.Key;
            count++;
        }
        await tx.CommitAsync();
        return count == expected ? null : $"scan returned {count} items, expected {expected}";
    }
}
