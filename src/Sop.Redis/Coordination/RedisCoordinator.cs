using Microsoft.Extensions.Logging;
using Sop.Coordination;
using Sop.Redis.Connection;
using Sop.Redis.Options;
using StackExchange.Redis;

namespace Sop.Redis.Coordination;

/// <summary>
/// The clustered coordinator: lock scents are Redis keys (value = owner, PX = <see cref="LockLifetime"/>), taken all
/// or nothing by one script that also checks the not-restarted token, validated and extended by a second, and
/// released only by their owner (compare-and-delete) by a third. A small commit therefore costs at most three round
/// trips (two when it read no node it does not write).
/// A lock whose owner died frees itself when its lifetime runs out; a live owner renews it before it could (see the
/// engine's fence), so its locks are never taken over.
/// </summary>
internal sealed partial class RedisCoordinator : ICoordinator
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);
    private readonly SharedRedisConnection _connection;
    private readonly IDatabase _db;
    private readonly RedisCalls _calls;
    private readonly RedisKeys _keys;
    private readonly SopRedisOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _disposed;

    public RedisCoordinator(SharedRedisConnection connection, CoordinationContext context)
    {
        _connection = connection;
        _options = connection.Options;
        _db = connection.Acquire();
        _time = context.Time;
        _logger = context.Logger;
        _calls = new RedisCalls(_options, context.Time);
        _keys = new RedisKeys(_options.KeyPrefix, context.Header.DatabaseId);
        Token = new NotRestartedToken(_db, _calls, _keys, _options, context);
    }

    /// <summary>The token this coordinator locks under.</summary>
    internal NotRestartedToken Token { get; }

    /// <summary>The connection's database (multi-host mode runs its own scripts on it).</summary>
    internal IDatabase Database => _db;

    /// <summary>The folder's keys.</summary>
    internal RedisKeys Keys => _keys;

    /// <summary>The options it runs with.</summary>
    internal SopRedisOptions Options => _options;

    /// <summary>Redis calls with bounded retries.</summary>
    internal RedisCalls Calls => _calls;

    /// <summary>
    /// Joins the token once the engine is open and recovered, so a folder whose identity clashes with what Redis holds
    /// is refused at open (decisions.md 12). Redis being down does not stop the open: the first lock call joins then.
    /// </summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Token.CurrentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Errors.CoordinationUnavailableException e)
        {
            LogRedisDownAtOpen(e.Message);
        }
    }

    /// <inheritdoc />
    public TimeSpan? LockLifetime => _options.LockLifetime;

    private long LifetimeMs => (long)_options.LockLifetime.TotalMilliseconds;

    /// <inheritdoc />
    public async ValueTask<bool> TryLockAsync(IReadOnlyList<LockKey> keys, Guid owner, CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return true;
        while (true)
        {
            string token = await Token.CurrentAsync(cancellationToken).ConfigureAwait(false);
            var redisKeys = new RedisKey[keys.Count + 1];
            redisKeys[0] = _keys.Token;
            for (int i = 0; i < keys.Count; i++) redisKeys[i + 1] = _keys.Lock(keys[i]);
            var args = new RedisValue[] { token, owner.ToString("N"), LifetimeMs };
            int result = await EvalAsync("lock", LuaScripts.Lock, redisKeys, args, cancellationToken).ConfigureAwait(false);
            if (result != -1) return result == 1;
            Token.Lost(token); // then wait for the new token and try again: no lock is granted in between
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ValidateAsync(IReadOnlyList<LockKey> held, IReadOnlyList<LockKey> readOnly, Guid owner, CancellationToken cancellationToken)
    {
        if (held.Count == 0 && readOnly.Count == 0) return true;
        string token = await Token.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var redisKeys = new RedisKey[held.Count + readOnly.Count + 1];
        redisKeys[0] = _keys.Token;
        for (int i = 0; i < held.Count; i++) redisKeys[i + 1] = _keys.Lock(held[i]);
        for (int i = 0; i < readOnly.Count; i++) redisKeys[held.Count + i + 1] = _keys.Lock(readOnly[i]);
        var args = new RedisValue[] { token, owner.ToString("N"), LifetimeMs, held.Count };
        int result = await EvalAsync("validate", LuaScripts.Validate, redisKeys, args, cancellationToken).ConfigureAwait(false);
        if (result == -1) Token.Lost(token); // the locks are gone with the old token: this round fails, the next waits
        return result == 1;
    }

    /// <summary>
    /// Releases without waiting for the answer (fire and forget): the commit is already done, and a later lock request
    /// of this engine travels the same connection behind it. A release that never arrives frees itself when the lock
    /// lifetime ends.
    /// </summary>
    public ValueTask UnlockAsync(IReadOnlyList<LockKey> keys, Guid owner, CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return ValueTask.CompletedTask;
        var redisKeys = keys.Select(_keys.Lock).ToArray();
        try
        {
            SopRedisMetrics.CountRoundTrip("unlock");
            _ = _db.ScriptEvaluateAsync(LuaScripts.Unlock, redisKeys, [owner.ToString("N")], CommandFlags.FireAndForget);
        }
        catch (Exception e) when (RedisCalls.IsTransient(e))
        {
            LogUnlockFailed(e.Message, _options.LockLifetime);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask WaitForReleaseAsync(IReadOnlyList<LockKey> keys, Guid owner, TimeSpan max, CancellationToken cancellationToken)
    {
        // Redis has no blocking wait on a key's deletion: poll cheaply until none is held by another owner.
        var redisKeys = keys.Select(_keys.Lock).ToArray();
        long until = _time.GetTimestamp() + (long)(max.TotalSeconds * _time.TimestampFrequency);
        while (_time.GetTimestamp() < until)
        {
            await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
            var held = await _calls.RunAsync("poll", (db: _db, redisKeys, owner),
                s => s.db.ScriptEvaluateAsync(LuaScripts.FirstHeldByOther, s.redisKeys, [s.owner.ToString("N")]), cancellationToken).ConfigureAwait(false);
            if (held.IsNull) return;
        }
    }

    private async ValueTask<int> EvalAsync(string what, string script, RedisKey[] keys, RedisValue[] args, CancellationToken cancellationToken)
    {
        var result = await _calls.RunAsync(what, (db: _db, script, keys, args),
            s => s.db.ScriptEvaluateAsync(s.script, s.keys, s.args), cancellationToken).ConfigureAwait(false);
        return (int)result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Token.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _connection.Release();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is not reachable while the engine opens ({Reason}); commits wait for it")]
    private partial void LogRedisDownAtOpen(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "releasing locks after a commit failed ({Reason}); they expire within {Lifetime}")]
    private partial void LogUnlockFailed(string reason, TimeSpan lifetime);
}
