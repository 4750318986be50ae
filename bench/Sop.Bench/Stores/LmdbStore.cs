using System.Runtime.InteropServices;
using LightningDB;

namespace Sop.Bench.Stores;

/// <summary>
/// LMDB through LightningDB, default flags (each write transaction's commit is durable: LMDB syncs the data file).
/// LightningDB 0.23.1 bundles a <c>liblmdb.so</c> that needs GLIBC 2.38, so on Linux the system's
/// <c>liblmdb.so.0</c> (Debian package <c>liblmdb0</c>) is loaded instead when it is there.
/// </summary>
internal sealed class LmdbStoreKind : IStoreKind
{
    private static readonly Lazy<string?> LoadProblem = new(ResolveNativeLibrary);

    public string Id => "lmdb";

    public string Name => "LMDB";

    public string Settings =>
        "LightningDB 0.23.1 over the system liblmdb.so.0 (Debian liblmdb0); default flags (no NoSync/MapAsync: every commit is durable); "
        + "map size 8 GiB; write transactions are serialized by LMDB";

    public string? Unavailable() => LoadProblem.Value;

    public ValueTask<IKvStore> OpenAsync(string folder, StoreProfile profile)
    {
        if (LoadProblem.Value is { } problem) throw new InvalidOperationException(problem);
        Directory.CreateDirectory(folder);
        var env = new LightningEnvironment(folder, new EnvironmentConfiguration { MapSize = 8L << 30, MaxDatabases = 1, MaxReaders = 256 });
        env.Open();
        LightningDatabase db;
        using (var tx = env.BeginTransaction())
        {
            db = tx.OpenDatabase("kv", new DatabaseConfiguration { Flags = DatabaseOpenFlags.Create });
            tx.Commit().ThrowOnError();
        }
        return ValueTask.FromResult<IKvStore>(new LmdbStore(env, db));
    }

    /// <summary>
    /// Points LightningDB's "lmdb" imports at a library that loads, before any <see cref="LightningEnvironment"/>
    /// exists (a constructor that fails to load it leaves a finalizer that crashes the process). Null when one loads.
    /// </summary>
    private static string? ResolveNativeLibrary()
    {
        var assembly = typeof(LightningEnvironment).Assembly;
        if (OperatingSystem.IsLinux() && NativeLibrary.TryLoad("liblmdb.so.0", out var system))
        {
            NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => name == "lmdb" ? system : IntPtr.Zero);
            return null;
        }
        if (NativeLibrary.TryLoad("lmdb", assembly, null, out _)) return null;
        return "no loadable LMDB library: the bundled liblmdb.so did not load (it needs GLIBC 2.38) and there is no system "
               + "liblmdb.so.0 (apt-get install -y liblmdb0)";
    }
}

/// <summary>The adapter; LMDB serializes write transactions itself, so concurrent writers share the environment.</summary>
internal sealed class LmdbStore(LightningEnvironment env, LightningDatabase db) : IKvStore
{
    public ValueTask BulkInsertAsync(BenchKeys keys, byte[][] values)
    {
        using var tx = env.BeginTransaction();
        for (int i = 0; i < keys.Count; i++) tx.Put(db, keys.Bytes[i], values[i]).ThrowOnError();
        tx.Commit().ThrowOnError();
        return ValueTask.CompletedTask;
    }

    public ValueTask<long> ReadAllAsync(BenchKeys keys)
    {
        long hits = 0;
        using var tx = env.BeginTransaction(TransactionBeginFlags.ReadOnly);
        foreach (byte[] key in keys.Bytes)
        {
            var (rc, _, value) = tx.Get(db, key);
            if (rc == MDBResultCode.Success && value.AsSpan().Length == BenchContext.ValueLength) hits++;
        }
        return ValueTask.FromResult(hits);
    }

    public ValueTask<ScanStats> ScanAsync(bool keysOnly, ScanVisitor? visit)
    {
        long count = 0, keyBytes = 0, valueBytes = 0;
        using var tx = env.BeginTransaction(TransactionBeginFlags.ReadOnly);
        using var cursor = tx.CreateCursor(db);
        for (var (rc, key, value) = cursor.First(); rc == MDBResultCode.Success; (rc, key, value) = cursor.Next())
        {
            var keySpan = key.AsSpan();
            int valueLength = keysOnly ? 0 : value.AsSpan().Length;
            count++;
            keyBytes += keySpan.Length;
            valueBytes += valueLength;
            visit?.Invoke(keySpan, valueLength);
        }
        return ValueTask.FromResult(new ScanStats(count, keyBytes, valueBytes));
    }

    public ValueTask<byte[]?> GetAsync(BenchKeys keys, int index)
    {
        using var tx = env.BeginTransaction(TransactionBeginFlags.ReadOnly);
        var (rc, _, value) = tx.Get(db, keys.Bytes[index]);
        return ValueTask.FromResult(rc == MDBResultCode.Success ? value.CopyToNewArray() : null);
    }

    public ValueTask InsertDurableAsync(BenchKeys keys, int index, byte[] value) => PutOne(keys.Bytes[index], value, PutOptions.NoOverwrite);

    public ValueTask UpdateDurableAsync(BenchKeys keys, int index, byte[] value) => PutOne(keys.Bytes[index], value, PutOptions.None);

    public ValueTask DisposeAsync()
    {
        db.Dispose();
        env.Dispose();
        return ValueTask.CompletedTask;
    }

    private ValueTask PutOne(byte[] key, byte[] value, PutOptions options)
    {
        using var tx = env.BeginTransaction();
        tx.Put(db, key, value, options).ThrowOnError();
        tx.Commit().ThrowOnError();
        return ValueTask.CompletedTask;
    }
}
