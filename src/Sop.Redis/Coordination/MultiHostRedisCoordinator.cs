using System.Globalization;
using Sop.Coordination;
using StackExchange.Redis;

namespace Sop.Redis.Coordination;

/// <summary>
/// The Redis coordinator for a folder shared by several hosts (<see cref="Options.SopRedisOptions.MultiHost"/>): the
/// locks of <see cref="RedisCoordinator"/>, plus the shared record of published commits (<see cref="ISharedPublishes"/>)
/// and the engine's lease (<see cref="ReaderLease"/>).
/// </summary>
internal sealed class MultiHostRedisCoordinator : ICoordinator, ISharedPublishes
{
    private readonly RedisCoordinator _locks;
    private readonly CoordinationContext _context;
    private ReaderLease? _lease;

    public MultiHostRedisCoordinator(RedisCoordinator locks, CoordinationContext context)
    {
        _locks = locks;
        _context = context;
    }

    private IDatabase Db => _locks.Database;

    private RedisKeys Keys => _locks.Keys;

    private Options.SopRedisOptions Options => _locks.Options;

    /// <inheritdoc />
    public TimeSpan? LockLifetime => _locks.LockLifetime;

    /// <inheritdoc />
    public ValueTask StartAsync(CancellationToken cancellationToken) => _locks.StartAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TryLockAsync(IReadOnlyList<LockKey> keys, Guid owner, CancellationToken cancellationToken) =>
        _locks.TryLockAsync(keys, owner, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ValidateAsync(IReadOnlyList<LockKey> held, IReadOnlyList<LockKey> readOnly, Guid owner, CancellationToken cancellationToken) =>
        _locks.ValidateAsync(held, readOnly, owner, cancellationToken);

    /// <inheritdoc />
    public ValueTask UnlockAsync(IReadOnlyList<LockKey> keys, Guid owner, CancellationToken cancellationToken) =>
        _locks.UnlockAsync(keys, owner, cancellationToken);

    /// <inheritdoc />
    public ValueTask WaitForReleaseAsync(IReadOnlyList<LockKey> keys, Guid owner, TimeSpan max, CancellationToken cancellationToken) =>
        _locks.WaitForReleaseAsync(keys, owner, max, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<SharedChanges> CatchUpAsync(string? generation, long seen, long floor, CancellationToken cancellationToken)
    {
        while (true)
        {
            string token = await _locks.Token.CurrentAsync(cancellationToken).ConfigureAwait(false);
            var result = await EvalAsync("catch_up", SharingScripts.CatchUp, CommonKeys(0), [token, generation ?? "", seen, floor], cancellationToken).ConfigureAwait(false);
            if (ParseChanges(result, 0, token) is { } changes) return changes;
            _locks.Token.Lost(token);
        }
    }

    /// <inheritdoc />
    public SharedChanges CatchUp(string? generation, long seen, long floor)
    {
        while (true)
        {
            var current = _locks.Token.CurrentAsync(CancellationToken.None); // completed unless the token is being joined
            string token = current.IsCompletedSuccessfully ? current.Result : current.AsTask().GetAwaiter().GetResult();
            var result = _locks.Calls.Run("catch_up", (db: Db, keys: CommonKeys(0), args: new RedisValue[] { token, generation ?? "", seen, floor }),
                s => s.db.ScriptEvaluate(SharingScripts.CatchUp, s.keys, s.args));
            if (ParseChanges(result, 0, token) is { } changes) return changes;
            _locks.Token.Lost(token);
        }
    }

    /// <inheritdoc />
    public async ValueTask<(bool Valid, SharedChanges Changes)> ValidateAndCatchUpAsync(IReadOnlyList<LockKey> held, IReadOnlyList<LockKey> readOnly,
        Guid owner, string? generation, long seen, CancellationToken cancellationToken)
    {
        while (true)
        {
            string token = await _locks.Token.CurrentAsync(cancellationToken).ConfigureAwait(false);
            var keys = CommonKeys(held.Count + readOnly.Count);
            for (int i = 0; i < held.Count; i++) keys[5 + i] = Keys.Lock(held[i]);
            for (int i = 0; i < readOnly.Count; i++) keys[5 + held.Count + i] = Keys.Lock(readOnly[i]);
            var args = new RedisValue[] { token, owner.ToString("N"), (long)Options.LockLifetime.TotalMilliseconds, held.Count, generation ?? "", seen, seen };
            var result = await EvalAsync("validate", SharingScripts.ValidateAndCatchUp, keys, args, cancellationToken).ConfigureAwait(false);
            var parts = (RedisResult[])result!;
            if ((long)parts[0] == -1)
            {
                _locks.Token.Lost(token);
                if (held.Count > 0) return (false, await CatchUpAsync(generation, seen, seen, cancellationToken).ConfigureAwait(false)); // the locks went with the token
                continue;
            }
            var changes = ParseChanges(result, 1, token)!;
            return ((long)parts[0] == 1, changes);
        }
    }

    /// <inheritdoc />
    public SharedPublishOutcome PublishAndUnlock(SharedPublish publish, IReadOnlyList<LockKey> locks, Guid owner)
    {
        var keys = CommonKeys(2 + locks.Count);
        keys[5] = Keys.SlotMarks;
        keys[6] = Keys.Refused;
        for (int i = 0; i < locks.Count; i++) keys[7 + i] = Keys.Lock(locks[i]);
        var args = new List<RedisValue>(9 + (2 * publish.Latest.Count) + publish.Dropped.Count)
        {
            publish.Generation, owner.ToString("N"), publish.Slot, publish.LogSeq, publish.Entry, Options.FeedLength, publish.Latest.Count,
        };
        foreach (var (k, v) in publish.Latest)
        {
            args.Add(k);
            args.Add(v);
        }
        args.Add(publish.Dropped.Count);
        foreach (var d in publish.Dropped) args.Add(d);
        // A retry after a lost answer finds the slot's mark at this commit and publishes nothing twice.
        long seq = (long)_locks.Calls.Run("publish", (db: Db, keys, args: args.ToArray()), s => s.db.ScriptEvaluate(SharingScripts.PublishAndUnlock, s.keys, s.args));
        switch (seq)
        {
            case -1:
                _locks.Token.Lost(publish.Generation);
                return new(SharedPublishResult.GenerationChanged);
            case -2:
                return new(SharedPublishResult.AlreadyPublished);
            case -3:
                return new(SharedPublishResult.Refused);
            default:
                return new(SharedPublishResult.Published, seq);
        }
    }

    /// <inheritdoc />
    /// <remarks>Reads the token itself (no join): recovery after a token loss runs while the new token does not exist yet.</remarks>
    public SharedMarks PublishedThrough()
    {
        var result = _locks.Calls.Run("slot_marks", (db: Db, keys: new[] { Keys.Token, Keys.SlotMarks, Keys.Refused }),
            s => s.db.ScriptEvaluate(SharingScripts.SlotMarks, s.keys));
        var parts = (RedisResult[])result!;
        var flat = (RedisResult[])parts[1]!;
        var marks = new Dictionary<int, ulong>(flat.Length / 2);
        for (int i = 0; i + 1 < flat.Length; i += 2) marks[(int)flat[i]] = (ulong)flat[i + 1];
        var refused = new HashSet<(int, ulong)>();
        foreach (var member in (RedisResult[])parts[2]!)
        {
            string[] pair = ((string)member!).Split(':');
            refused.Add((int.Parse(pair[0], CultureInfo.InvariantCulture), ulong.Parse(pair[1], CultureInfo.InvariantCulture)));
        }
        return new SharedMarks(parts[0].IsNull ? null : (string)parts[0]!, marks, refused);
    }

    /// <inheritdoc />
    public void StartLease(Func<long> oldestReader)
    {
        _lease ??= new ReaderLease(Db, Keys, Options, oldestReader, _context.Logger);
    }

    /// <inheritdoc />
    public long? ReaderWatermark => _lease?.Watermark;

    /// <summary>The keys every sharing script starts with (see <see cref="SharingScripts"/>), and room for <paramref name="more"/>.</summary>
    private RedisKey[] CommonKeys(int more)
    {
        var keys = new RedisKey[5 + more];
        keys[0] = Keys.Token;
        keys[1] = Keys.Seq;
        keys[2] = Keys.Feed;
        keys[3] = Keys.Latest;
        keys[4] = Keys.Dropped;
        return keys;
    }

    private ValueTask<RedisResult> EvalAsync(string what, string script, RedisKey[] keys, RedisValue[] args, CancellationToken cancellationToken) =>
        _locks.Calls.RunAsync(what, (db: Db, script, keys, args), s => s.db.ScriptEvaluateAsync(s.script, s.keys, s.args), cancellationToken);

    /// <summary>Reads a catch-up answer starting at <paramref name="at"/>; null when the token was not the caller's.</summary>
    private static SharedChanges? ParseChanges(RedisResult result, int at, string token)
    {
        var parts = (RedisResult[])result!;
        long seq = (long)parts[at];
        if (seq == -1) return null;
        if (parts.Length == at + 1) return new SharedChanges { Generation = token, Seq = seq };
        if ((string)parts[at + 1]! == "feed")
            return new SharedChanges { Generation = token, Seq = seq, Entries = parts.Skip(at + 2).Select(p => (byte[])p!).ToList() };
        var flat = (RedisResult[])parts[at + 2]!;
        var latest = new List<KeyValuePair<byte[], byte[]>>(flat.Length / 2);
        for (int i = 0; i + 1 < flat.Length; i += 2) latest.Add(new((byte[])flat[i]!, (byte[])flat[i + 1]!));
        var dropped = ((RedisResult[])parts[at + 3]!).Select(p => (byte[])p!).ToList();
        return new SharedChanges { Generation = token, Seq = seq, Whole = true, Latest = latest, Dropped = dropped };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _lease?.Dispose();
        _locks.Dispose();
    }
}
