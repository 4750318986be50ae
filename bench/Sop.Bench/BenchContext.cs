using System.Globalization;
using Sop.Hosting;
using Sop.Transactions;

namespace Sop.Bench;

/// <summary>
/// What the workloads of one run share: sizes, the root folder, deterministic keys and values, the measured fsync
/// limit, and the populated folder the read workloads (and W7) reuse.
/// </summary>
internal sealed class BenchContext(BenchArgs args, string root, int n, int m)
{
    /// <summary>The one store every workload uses.</summary>
    public const string StoreName = "s";

    /// <summary>Key length in characters (and UTF-8 bytes): "k" plus 15 digits.</summary>
    public const int KeyLength = 16;

    /// <summary>Value length in bytes.</summary>
    public const int ValueLength = 100;

    /// <summary>Maximum time of the big transactions (bulk load, full passes), above the engine's 60 s default.</summary>
    public static readonly TimeSpan LongTransaction = TimeSpan.FromHours(1);

    private readonly Dictionary<int, string> _populated = [];
    private int _folders;

    public BenchArgs Args { get; } = args;

    /// <summary>Items of the bulk, read and scan workloads.</summary>
    public int N { get; } = n;

    /// <summary>Transactions of the durable-commit workloads and appends of the fsync limit.</summary>
    public int M { get; } = m;

    public string Root { get; } = root;

    /// <summary>The "append 100 bytes + fsync" rate measured in this run, when it ran.</summary>
    public double? FsyncLimitPerSecond { get; set; }

    /// <summary>A data folder path under the root that does not exist yet.</summary>
    public string NewFolder(string name)
    {
        string path = Path.Combine(Root, $"{++_folders:D2}-{name}");
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        return path;
    }

    /// <summary>The 16-character key of number <paramref name="i"/>.</summary>
    public static string Key(long i) => "k" + i.ToString("D15", CultureInfo.InvariantCulture);

    /// <summary>Keys 0..count-1 in an order shuffled by the run's seed plus <paramref name="salt"/>.</summary>
    public string[] ShuffledKeys(int count, int salt)
    {
        var keys = new string[count];
        for (int i = 0; i < count; i++) keys[i] = Key(i);
        new Random(Args.Seed + salt).Shuffle(keys);
        return keys;
    }

    /// <summary><paramref name="count"/> random 100-byte values from the run's seed plus <paramref name="salt"/>.</summary>
    public byte[][] Values(int count, int salt)
    {
        var random = new Random(Args.Seed + salt);
        var values = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            values[i] = new byte[ValueLength];
            random.NextBytes(values[i]);
        }
        return values;
    }

    public static async ValueTask<SopEngine> OpenAsync(string folder) =>
        await SopEngine.OpenAsync(new SopEngineOptions { DataPath = folder });

    /// <summary>
    /// Opens the folder on a <see cref="CountingFileSystem"/>, so the caller can count the engine's fsyncs; in clustered
    /// mode when <paramref name="redis"/> is given (as one of several hosts with <paramref name="multiHost"/>).
    /// </summary>
    public static async ValueTask<SopEngine> OpenAsync(string folder, CountingFileSystem fs, string? redis = null, bool multiHost = false)
    {
        var options = new SopEngineOptions { DataPath = folder, FileSystem = fs };
        if (redis is not null) Sop.Redis.SopRedisExtensions.UseRedis(options, redis, r => r.MultiHost = multiHost);
        return await SopEngine.OpenAsync(options);
    }

    public static async ValueTask CreateStoreAsync(SopEngine engine, int slot) =>
        await engine.CreateStoreAsync<string, byte[]>(new StoreOptions(StoreName) { SlotLength = slot });

    /// <summary>Adds keys[i] → values[i] in one transaction, commit included.</summary>
    public static async ValueTask BulkInsertAsync(SopEngine engine, string[] keys, byte[][] values)
    {
        await using var tx = engine.Begin(TransactionMode.ForWriting, BenchContext.LongTransaction);
        var store = tx.OpenStore<string, byte[]>(StoreName);
        for (int i = 0; i < keys.Length; i++)
        {
            if (!store.Add(keys[i], values[i])) throw new InvalidOperationException($"Add({keys[i]}) returned false in a fresh store");
        }
        await tx.CommitAsync();
    }

    /// <summary>The N keys of the populated store, in insertion order.</summary>
    public string[] PopulatedKeys() => ShuffledKeys(N, salt: 1);

    /// <summary>Records a folder holding the N populated keys in a store of this slot length (W1 leaves one).</summary>
    public void RegisterPopulated(int slot, string folder) => _populated[slot] = folder;

    /// <summary>A folder whose store holds the N populated keys with this slot length; loads one (unmeasured) when needed.</summary>
    public async ValueTask<string> GetPopulatedFolderAsync(int slot)
    {
        if (_populated.TryGetValue(slot, out var folder)) return folder;
        folder = NewFolder($"populated-slot{slot}");
        await using (var engine = await OpenAsync(folder))
        {
            await CreateStoreAsync(engine, slot);
            await BulkInsertAsync(engine, PopulatedKeys(), Values(N, salt: 1));
        }
        _populated[slot] = folder;
        return folder;
    }
}
