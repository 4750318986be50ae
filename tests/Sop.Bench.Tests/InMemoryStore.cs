using Sop.Bench.Stores;

namespace Sop.Bench.Tests;

/// <summary>A store kind over a sorted dictionary that can be told to lose writes or scan out of order, to test the workloads' checks.</summary>
internal sealed class InMemoryStoreKind(bool loseEveryTenthWrite = false, bool scanUnordered = false) : IStoreKind
{
    public string Id => "memory";

    public string Name => "in-memory";

    public string Settings => "a SortedDictionary (tests only)";

    public ValueTask<IKvStore> OpenAsync(string folder, StoreProfile profile) =>
        ValueTask.FromResult<IKvStore>(new InMemoryStore(loseEveryTenthWrite, scanUnordered));
}

internal sealed class InMemoryStore(bool loseEveryTenthWrite, bool scanUnordered) : IKvStore
{
    private readonly SortedDictionary<string, byte[]> _items = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _writes;

    public ValueTask BulkInsertAsync(BenchKeys keys, byte[][] values)
    {
        for (int i = 0; i < keys.Count; i++) Write(keys.Text[i], values[i]);
        return ValueTask.CompletedTask;
    }

    public ValueTask<long> ReadAllAsync(BenchKeys keys)
    {
        lock (_lock) return ValueTask.FromResult((long)keys.Text.Count(k => _items.TryGetValue(k, out var v) && v.Length == BenchContext.ValueLength));
    }

    public ValueTask<ScanStats> ScanAsync(bool keysOnly, ScanVisitor? visit)
    {
        List<KeyValuePair<string, byte[]>> items;
        lock (_lock) items = scanUnordered ? _items.Reverse().ToList() : _items.ToList();
        foreach (var (key, value) in items) visit?.Invoke(System.Text.Encoding.ASCII.GetBytes(key), keysOnly ? 0 : value.Length);
        return ValueTask.FromResult(new ScanStats(items.Count, items.Sum(i => (long)i.Key.Length), keysOnly ? 0 : items.Sum(i => (long)i.Value.Length)));
    }

    public ValueTask<byte[]?> GetAsync(BenchKeys keys, int index)
    {
        lock (_lock) return ValueTask.FromResult(_items.GetValueOrDefault(keys.Text[index]));
    }

    public ValueTask InsertDurableAsync(BenchKeys keys, int index, byte[] value)
    {
        Write(keys.Text[index], value);
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateDurableAsync(BenchKeys keys, int index, byte[] value) => InsertDurableAsync(keys, index, value);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Write(string key, byte[] value)
    {
        lock (_lock)
        {
            if (loseEveryTenthWrite && ++_writes % 10 == 0) return;
            _items[key] = value;
        }
    }
}
