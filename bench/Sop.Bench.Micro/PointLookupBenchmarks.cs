using BenchmarkDotNet.Attributes;
using Sop.Hosting;
using Sop.Transactions;

namespace Sop.Bench.Micro;

/// <summary>
/// A point lookup in a warm tree (every node in the L1 cache): inside one open transaction, and as a whole
/// read-only transaction (begin, lookup, commit with read-set validation) as the console harness's W2 pays it.
/// </summary>
[MemoryDiagnoser]
public class PointLookupBenchmarks
{
    private const string StoreName = "s";
    private const int Lookups = 1_000;
    private string _folder = "";
    private SopEngine _engine = null!;
    private string[] _keys = [];
    private Transaction _open = null!;

    /// <summary>Items in the store.</summary>
    [Params(100_000)]
    public int Items { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"sop-micro-{Guid.NewGuid():N}");
        _engine = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = _folder });
        await _engine.CreateStoreAsync<string, byte[]>(new StoreOptions(StoreName) { SlotLength = 500 });
        var random = new Random(42);
        _keys = Enumerable.Range(0, Items).Select(i => BenchmarkKeys.Key(i)).ToArray();
        await using (var tx = _engine.Begin(TransactionMode.ForWriting, TimeSpan.FromHours(1)))
        {
            var store = tx.OpenStore<string, byte[]>(StoreName);
            foreach (string key in _keys) store.Add(key, BenchmarkKeys.Value(random));
            await tx.CommitAsync();
        }
        random.Shuffle(_keys);
        _open = _engine.Begin(TransactionMode.NoCheck, TimeSpan.FromHours(1));
        if (Lookup_in_open_transaction() != Lookups) throw new InvalidOperationException("keys missing after the load"); // also warms L1
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _open.DisposeAsync();
        await _engine.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int Lookup_in_open_transaction()
    {
        int found = 0;
        var store = _open.OpenStore<string, byte[]>(StoreName);
        for (int i = 0; i < Lookups; i++)
        {
            if (store.TryGetValue(_keys[i], out _)) found++;
        }
        return found;
    }

    [Benchmark]
    public async Task<bool> Read_only_transaction_with_one_lookup()
    {
        await using var tx = _engine.Begin(TransactionMode.ForReading);
        bool found = tx.OpenStore<string, byte[]>(StoreName).TryGetValue(_keys[0], out _);
        await tx.CommitAsync();
        return found;
    }
}
