using System.Text;
using Microsoft.Extensions.Logging;
using Sop.Coordination;
using Sop.Errors;
using Sop.Redis.Connection;
using Sop.Redis.Options;
using StackExchange.Redis;

namespace Sop.Redis.Coordination;

/// <summary>
/// The "not restarted" token of decisions.md 13: a Redis key with a random value per creation and a sliding TTL that
/// every engine refreshes. Every lock script checks it, so locks are granted only under the token the engine knows.
/// When it is gone (Redis restarted and lost every lock), no engine takes a lock again until one lock lifetime has
/// passed — in-flight commits whose locks vanished have published or died by then — and a recovery sweep has redone
/// every durable commit record dead engines left unapplied; then a new token is created.
/// </summary>
/// <remarks>
/// A folder that never had a token (the marker file <c>redis.token</c> is absent) gets one at once: no commit can be
/// in flight under a token that never existed.
/// </remarks>
internal sealed partial class NotRestartedToken : IAsyncDisposable
{
    private readonly IDatabase _db;
    private readonly RedisCalls _calls;
    private readonly RedisKeys _keys;
    private readonly SopRedisOptions _options;
    private readonly CoordinationContext _context;
    private readonly ILogger _logger;
    private readonly string _markerPath;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _refresher;
    private volatile string? _value;
    private Task<string>? _joining;

    public NotRestartedToken(IDatabase db, RedisCalls calls, RedisKeys keys, SopRedisOptions options, CoordinationContext context)
    {
        _db = db;
        _calls = calls;
        _keys = keys;
        _options = options;
        _context = context;
        _logger = context.Logger;
        _markerPath = Path.Combine(context.Layout.Root, "redis.token");
        _refresher = Task.Run(RefreshLoopAsync);
    }

    /// <summary>How many times this engine saw the token lost (for tests and metrics).</summary>
    public int Losses { get; private set; }

    /// <summary>The token to lock under; waits while it is being (re-)established.</summary>
    public async ValueTask<string> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_value is { } value) return value;
        return await JoinAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A script found another token than <paramref name="used"/>: stop using it and re-establish one.</summary>
    public void Lost(string used)
    {
        lock (_gate)
        {
            if (_value != used) return;
            _value = null;
            Losses++;
        }
        _context.SharedStateLost?.Invoke(); // every host checkpoints, so the files hold what Redis lost (decisions.md 17)
        _ = JoinAsync().ContinueWith(t => LogJoinFailed(t.Exception!.GetBaseException()), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private Task<string> JoinAsync()
    {
        lock (_gate)
        {
            if (_value is { } value) return Task.FromResult(value);
            return _joining ??= Task.Run(JoinCoreAsync);
        }
    }

    private async Task<string> JoinCoreAsync()
    {
        try
        {
            bool usedBefore = _context.FileSystem.FileExists(_markerPath);
            var (kind, value) = await JoinScriptAsync(mayCreate: !usedBefore).ConfigureAwait(false);
            if (kind == "missing")
            {
                // Redis lost its keys (restart, flush, or every engine was gone longer than the token's TTL).
                LogTokenMissing(_options.LockLifetime);
                await Task.Delay(_options.LockLifetime + TimeSpan.FromMilliseconds(100), _context.Time, _closing.Token).ConfigureAwait(false);
                await _context.RecoverDeadEnginesAsync(_closing.Token).ConfigureAwait(false);
                (kind, value) = await JoinScriptAsync(mayCreate: true).ConfigureAwait(false);
                LogTokenRecreated();
            }
            if (!usedBefore) _context.FileSystem.WriteAllBytes(_markerPath, Encoding.UTF8.GetBytes(value));
            lock (_gate) _value = value;
            return value;
        }
        finally
        {
            lock (_gate) _joining = null;
        }
    }

    private async Task<(string Kind, string Value)> JoinScriptAsync(bool mayCreate)
    {
        var keys = new[] { _keys.Token, _keys.Incarnation };
        var args = new RedisValue[] { Guid.NewGuid().ToString("N"), (long)_options.TokenTimeToLive.TotalMilliseconds, _context.Header.Incarnation, mayCreate ? "1" : "0" };
        var result = await _calls.RunAsync("join_token", (db: _db, keys, args),
            s => s.db.ScriptEvaluateAsync(LuaScripts.JoinToken, s.keys, s.args), _closing.Token).ConfigureAwait(false);
        var parts = (RedisResult[])result!;
        string kind = (string)parts[0]!, value = (string)parts[1]!;
        if (kind == "incarnation")
            throw new FolderIdentityConflictException(
                $"folder {_context.Layout.Root} has identity {_context.Header.DatabaseId:N} incarnation {_context.Header.Incarnation}, but Redis holds incarnation {value} for that identity: a copy of this folder is in use; give one of them a new identity");
        return (kind, value);
    }

    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.TokenRefreshInterval, _context.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token).ConfigureAwait(false))
            {
                if (_value is not { } value) continue;
                try
                {
                    SopRedisMetrics.CountRoundTrip("refresh_token");
                    var result = await _db.ScriptEvaluateAsync(LuaScripts.RefreshToken, [_keys.Token, _keys.Incarnation],
                        [value, (long)_options.TokenTimeToLive.TotalMilliseconds]).ConfigureAwait(false);
                    if ((int)result == -1) Lost(value);
                }
                catch (Exception e) when (RedisCalls.IsTransient(e))
                {
                    LogRefreshFailed(e.Message); // Redis is down: the next tick (or a lock call) finds out more
                }
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        await _refresher.ConfigureAwait(false);
        _closing.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the Redis not-restarted token is missing (Redis lost its keys): no locks for {Wait} while in-flight commits finish, then recovery and a new token")]
    private partial void LogTokenMissing(TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "recovery after the token loss finished; locks are granted under a new token")]
    private partial void LogTokenRecreated();

    [LoggerMessage(Level = LogLevel.Warning, Message = "re-establishing the Redis token failed; the next lock call retries")]
    private partial void LogJoinFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Debug, Message = "token refresh failed: {Reason}")]
    private partial void LogRefreshFailed(string reason);
}
