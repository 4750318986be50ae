using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Sop.Bench.Stores;

/// <summary>
/// SQLite through Microsoft.Data.Sqlite: a <c>WITHOUT ROWID</c> table with blob keys, WAL journal and
/// <c>synchronous=FULL</c> (every commit fsyncs the WAL), as in performance-targets.md.
/// </summary>
internal sealed class SqliteStoreKind : IStoreKind
{
    public string Id => "sqlite";

    public string Name => "SQLite";

    public string Settings =>
        "Microsoft.Data.Sqlite 11.0.0; journal_mode=WAL, synchronous=FULL (fsync of the WAL per commit), busy_timeout=10000 (concurrent writers wait for the write lock inside SQLite); WITHOUT ROWID table, blob keys; "
        + "prepared statements; writes go through one connection behind a lock (SQLite has one writer at a time; 16 connections "
        + "contending through busy waits were several times slower than one in a trial run), reads through their own";

    public ValueTask<IKvStore> OpenAsync(string folder, StoreProfile profile)
    {
        Directory.CreateDirectory(folder);
        var store = new SqliteStore($"Data Source={Path.Combine(folder, "kv.sqlite")};Pooling=False");
        using (var connection = store.Connect())
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID";
            create.ExecuteNonQuery();
        }
        return ValueTask.FromResult<IKvStore>(store);
    }
}

/// <summary>
/// The adapter. SQLite lets one connection write at a time, so writers queue for one write connection in the
/// process (the usual way to use it); readers rent their own connections (connections are not thread-safe).
/// </summary>
internal sealed class SqliteStore(string connectionString) : IKvStore
{
    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private readonly ConcurrentBag<SqliteConnection> _all = [];
    private readonly Lock _writeLock = new();
    private SqliteConnection? _writer;

    /// <summary>A new open connection with the durable settings (they are per connection).</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;";
        pragmas.ExecuteNonQuery();
        _all.Add(connection);
        return connection;
    }

    public ValueTask BulkInsertAsync(BenchKeys keys, byte[][] values)
    {
        lock (_writeLock)
        {
            BulkInsert(Writer(), keys, values);
        }
        return ValueTask.CompletedTask;
    }

    private static void BulkInsert(SqliteConnection connection, BenchKeys keys, byte[][] values)
    {
        using (var tx = connection.BeginTransaction())
        using (var insert = Command(connection, "INSERT INTO kv (k, v) VALUES ($k, $v)", "$k", "$v"))
        {
            insert.Transaction = tx;
            for (int i = 0; i < keys.Count; i++)
            {
                insert.Parameters[0].Value = keys.Bytes[i];
                insert.Parameters[1].Value = values[i];
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    public ValueTask<long> ReadAllAsync(BenchKeys keys)
    {
        long hits = 0;
        var connection = Rent();
        using (var tx = connection.BeginTransaction(deferred: true))
        using (var select = Command(connection, "SELECT v FROM kv WHERE k = $k", "$k"))
        {
            select.Transaction = tx;
            foreach (byte[] key in keys.Bytes)
            {
                select.Parameters[0].Value = key;
                using var reader = select.ExecuteReader();
                if (reader.Read() && reader.GetFieldValue<byte[]>(0).Length == BenchContext.ValueLength) hits++;
            }
            tx.Commit();
        }
        Return(connection);
        return ValueTask.FromResult(hits);
    }

    public ValueTask<ScanStats> ScanAsync(bool keysOnly, ScanVisitor? visit)
    {
        long count = 0, keyBytes = 0, valueBytes = 0;
        var connection = Rent();
        using (var scan = Command(connection, keysOnly ? "SELECT k FROM kv ORDER BY k" : "SELECT k, v FROM kv ORDER BY k"))
        using (var reader = scan.ExecuteReader())
        {
            while (reader.Read())
            {
                byte[] key = reader.GetFieldValue<byte[]>(0);
                int valueLength = keysOnly ? 0 : reader.GetFieldValue<byte[]>(1).Length;
                count++;
                keyBytes += key.Length;
                valueBytes += valueLength;
                visit?.Invoke(key, valueLength);
            }
        }
        Return(connection);
        return ValueTask.FromResult(new ScanStats(count, keyBytes, valueBytes));
    }

    public ValueTask<byte[]?> GetAsync(BenchKeys keys, int index)
    {
        var connection = Rent();
        byte[]? value;
        using (var select = Command(connection, "SELECT v FROM kv WHERE k = $k", "$k"))
        {
            select.Parameters[0].Value = keys.Bytes[index];
            value = select.ExecuteScalar() as byte[];
        }
        Return(connection);
        return ValueTask.FromResult(value);
    }

    public ValueTask InsertDurableAsync(BenchKeys keys, int index, byte[] value) =>
        WriteOne("INSERT INTO kv (k, v) VALUES ($k, $v)", keys.Bytes[index], value);

    public ValueTask UpdateDurableAsync(BenchKeys keys, int index, byte[] value) =>
        WriteOne("UPDATE kv SET v = $v WHERE k = $k", keys.Bytes[index], value);

    public ValueTask DisposeAsync()
    {
        foreach (var connection in _all) connection.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>One autocommit statement: SQLite commits (and fsyncs the WAL) at its end.</summary>
    private ValueTask WriteOne(string sql, byte[] key, byte[] value)
    {
        lock (_writeLock)
        {
            using var write = Command(Writer(), sql, "$k", "$v");
            write.Parameters[0].Value = key;
            write.Parameters[1].Value = value;
            if (write.ExecuteNonQuery() != 1) throw new InvalidOperationException($"'{sql}' changed no row");
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The one write connection; call under <see cref="_writeLock"/>.</summary>
    private SqliteConnection Writer() => _writer ??= Connect();

    private SqliteConnection Rent() => _idle.TryTake(out var connection) ? connection : Connect();

    private void Return(SqliteConnection connection) => _idle.Add(connection);

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }
}
