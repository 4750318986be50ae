using Sop.Storage;
using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Behaviour;

/// <summary>Small helpers shared by the behaviour tests: folder listings, value-blob discovery and folder copies.</summary>
internal static class BehaviourSupport
{
    /// <summary>Opens an engine on the harness and creates one store.</summary>
    public static async Task<SopEngine> OpenWithStoreAsync<TKey, TValue>(EngineHarness h, StoreOptions options)
    {
        var engine = await h.OpenAsync();
        await engine.CreateStoreAsync<TKey, TValue>(options);
        return engine;
    }

    /// <summary>Commits the given writes in one transaction.</summary>
    public static async Task CommitAsync<TKey, TValue>(SopEngine engine, string store, Action<BTree<TKey, TValue>> write)
    {
        await using var tx = engine.Begin();
        write(tx.OpenStore<TKey, TValue>(store));
        await tx.CommitAsync();
    }

    /// <summary>Every key/value of a store in key order, read in a fresh ForReading transaction.</summary>
    public static async Task<List<(TKey Key, TValue? Value)>> ReadAllAsync<TKey, TValue>(SopEngine engine, string store)
    {
        await using var tx = engine.Begin(TransactionMode.ForReading);
        var tree = tx.OpenStore<TKey, TValue>(store);
        var result = new List<(TKey, TValue?)>();
        await foreach (var item in tree.ScanAsync()) result.Add((item.Key, item.Value));
        tree.CheckInvariants();
        await tx.CommitAsync();
        return result;
    }

    /// <summary>Paths of every file under a folder (recursively), sorted.</summary>
    public static List<string> AllFiles(IFileSystem fs, string directory)
    {
        var result = new List<string>();
        Walk(directory);
        result.Sort(StringComparer.Ordinal);
        return result;

        void Walk(string dir)
        {
            foreach (string f in fs.ListFiles(dir)) result.Add(Path.Combine(dir, f));
            foreach (string d in fs.ListDirectories(dir)) Walk(Path.Combine(dir, d));
        }
    }

    /// <summary>Every file under a folder with its bytes (lock files left out: they are empty markers).</summary>
    public static Dictionary<string, byte[]> Snapshot(IFileSystem fs, string directory) =>
        AllFiles(fs, directory)
            .Where(p => !p.EndsWith(".lock", StringComparison.Ordinal))
            .ToDictionary(p => p, p => fs.TryReadAllBytes(p) ?? [], StringComparer.Ordinal);

    /// <summary>True when two snapshots hold the same files with the same bytes.</summary>
    public static void AssertSameSnapshot(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, bytes) in expected)
            Assert.True(bytes.AsSpan().SequenceEqual(actual[path]), $"file {path} changed");
    }

    /// <summary>The blob files of a store that hold a value (not a node).</summary>
    public static List<string> ValueBlobFiles(IFileSystem fs, DataFolderLayout layout, string store) =>
        AllFiles(fs, layout.BlobsDirectory(store)).Where(p => IsValueBlob(fs.TryReadAllBytes(p))).ToList();

    /// <summary>All blob files of a store (nodes and values).</summary>
    public static List<string> BlobFiles(IFileSystem fs, DataFolderLayout layout, string store) =>
        AllFiles(fs, layout.BlobsDirectory(store));

    private static bool IsValueBlob(byte[]? bytes) => bytes is not null && Envelope.TryUnwrap(bytes, EnvelopeKind.Value, out _, out _);

    /// <summary>Copies a folder file by file through the file system seam (works on disk and in memory).</summary>
    public static void CopyFolder(IFileSystem fs, string from, string to)
    {
        fs.CreateDirectory(to);
        foreach (string f in fs.ListFiles(from))
            fs.WriteAllBytes(Path.Combine(to, f), fs.TryReadAllBytes(Path.Combine(from, f)) ?? []);
        foreach (string d in fs.ListDirectories(from))
            CopyFolder(fs, Path.Combine(from, d), Path.Combine(to, d));
        fs.SyncAll(to);
    }
}
