using Sop.Redis.Options;
using StackExchange.Redis;

namespace Sop.Redis.Connection;

/// <summary>
/// One Redis connection for every engine opened with the same options, shared by their coordinators and L2 caches.
/// Connected on the first engine's open and closed when the last engine closes (reference counted). It never gives up
/// reconnecting: a Redis restart is survived, calls in between fail fast and are retried by <see cref="RedisCalls"/>.
/// </summary>
internal sealed class SharedRedisConnection(SopRedisOptions options)
{
    private readonly object _gate = new();
    private ConnectionMultiplexer? _multiplexer;
    private IDatabase? _database;
    private int _users;

    /// <summary>Wraps the database handle (tests count round trips with it).</summary>
    internal Func<IDatabase, IDatabase>? Decorator { get; set; }

    /// <summary>The options the connection was made with.</summary>
    public SopRedisOptions Options => options;

    /// <summary>The database, or null while no engine uses the connection.</summary>
    public IDatabase? Database => _database;

    /// <summary>Connects (when the first user arrives); each call must be paired with <see cref="Release"/>.</summary>
    public IDatabase Acquire()
    {
        lock (_gate)
        {
            if (_multiplexer is null)
            {
                var config = ConfigurationOptions.Parse(options.Configuration);
                config.AbortOnConnectFail = false; // keep reconnecting in the background
                config.BacklogPolicy = BacklogPolicy.FailFast; // our retry policy bounds the wait, not a hidden queue
                config.ConnectTimeout = (int)options.OperationTimeout.TotalMilliseconds;
                config.SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
                config.AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
                config.ClientName ??= "sop-engine";
                _multiplexer = ConnectionMultiplexer.Connect(config);
                var database = _multiplexer.GetDatabase();
                _database = Decorator is null ? database : Decorator(database);
            }
            _users++;
            return _database!;
        }
    }

    /// <summary>Gives the connection back; the last user closes it.</summary>
    public void Release()
    {
        ConnectionMultiplexer? closing = null;
        lock (_gate)
        {
            if (_users == 0) return;
            if (--_users == 0)
            {
                closing = _multiplexer;
                _multiplexer = null;
                _database = null;
            }
        }
        closing?.Dispose();
    }
}
