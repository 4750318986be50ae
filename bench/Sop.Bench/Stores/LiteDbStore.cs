using LiteDB;

namespace Sop.Bench.Stores;

/// <summary>
/// LiteDB 5 in direct mode: a collection of <c>{ _id: key, v: value }</c> documents (keys as 16-character strings,
/// the <c>_id</c> index keeps them ordered). LiteDB 5.0.21 does not fsync at commit, so this adapter fsyncs its
/// journal and data file after every commit (performance-targets.md reports LiteDB that way).
/// </summary>
internal sealed class LiteDbStoreKind : IStoreKind
{
    public string Id => "litedb";

    public string Name => "LiteDB";

    public string Settings =>
        "LiteDB 5.0.21, Connection=direct, BsonDocument { _id: string key, v: binary }; LiteDB does not fsync at commit, so the "
        + "adapter fsyncs its files (FileStream.Flush(true)) after every commit; keys-only scan still reads whole documents";

    public ValueTask<IKvStore> OpenAsync(string folder, StoreProfile profile)
    {
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, "kv.db");
        var db = new LiteDatabase($"Filename={file};Connection=direct");
        return ValueTask.FromResult<IKvStore>(new LiteDbStore(db, file));
    }
}

/// <summary>The adapter; one <see cref="LiteDatabase"/> is thread-safe, so concurrent writers share it.</summary>
internal sealed class LiteDbStore(LiteDatabase db, string file) : IKvStore
{
    private readonly ILiteCollection<BsonDocument> _kv = db.GetCollection("kv");
    private readonly FileSyncer _sync = new(file, Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file) + "-log.db"));

    public ValueTask BulkInsertAsync(BenchKeys keys, byte[][] values)
    {
        if (!db.BeginTrans()) throw new InvalidOperationException("LiteDB: a transaction is already open on this thread");
        for (int i = 0; i < keys.Count; i++) _kv.Insert(Document(keys.Text[i], values[i]));
        if (!db.Commit()) throw new InvalidOperationException("LiteDB: commit found no transaction");
        _sync.Sync();
        return ValueTask.CompletedTask;
    }

    public ValueTask<long> ReadAllAsync(BenchKeys keys)
    {
        long hits = 0;
        foreach (string key in keys.Text)
        {
            if (_kv.FindById(key) is { } doc && doc["v"].AsBinary is { Length: BenchContext.ValueLength }) hits++;
        }
        return ValueTask.FromResult(hits);
    }

    public ValueTask<ScanStats> ScanAsync(bool keysOnly, ScanVisitor? visit)
    {
        long count = 0, keyBytes = 0, valueBytes = 0;
        Span<byte> keyBuffer = stackalloc byte[64];
        foreach (var doc in _kv.Find(Query.All(Query.Ascending)))
        {
            string key = doc["_id"].AsString;
            int valueLength = keysOnly ? 0 : doc["v"].AsBinary.Length;
            count++;
            keyBytes += key.Length; // ASCII keys
            valueBytes += valueLength;
            if (visit is not null)
            {
                int length = System.Text.Encoding.ASCII.GetBytes(key, keyBuffer);
                visit(keyBuffer[..length], valueLength);
            }
        }
        return ValueTask.FromResult(new ScanStats(count, keyBytes, valueBytes));
    }

    public ValueTask<byte[]?> GetAsync(BenchKeys keys, int index) =>
        ValueTask.FromResult(_kv.FindById(keys.Text[index])?["v"].AsBinary);

    public ValueTask InsertDurableAsync(BenchKeys keys, int index, byte[] value)
    {
        _kv.Insert(Document(keys.Text[index], value)); // its own transaction, committed at return
        _sync.Sync();
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateDurableAsync(BenchKeys keys, int index, byte[] value)
    {
        if (!_kv.Update(Document(keys.Text[index], value))) throw new InvalidOperationException($"LiteDB: no document {keys.Text[index]}");
        _sync.Sync();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        db.Dispose();
        _sync.Dispose();
        return ValueTask.CompletedTask;
    }

    private static BsonDocument Document(string key, byte[] value) => new() { ["_id"] = key, ["v"] = value };
}
