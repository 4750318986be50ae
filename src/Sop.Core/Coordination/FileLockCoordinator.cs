using System.IO.Hashing;
using System.Text;
using Sop.Storage;

namespace Sop.Coordination;

/// <summary>
/// The standalone coordinator (decisions.md 10): each key hashes to one byte of a lock file in the database folder,
/// locked with an open-file-description lock, so engines in this process and in other processes on the host exclude
/// each other, and the kernel frees the locks of a process that dies (no TTL, no stale lock to take over).
/// </summary>
/// <remarks>
/// Within one engine, keys are tracked per owner and byte locks are reference-counted, so two transactions of the
/// same engine exclude each other as well. Two keys may share a byte (2^24 bytes): that only makes one wait for
/// the other. Thread-safe.
/// </remarks>
public sealed class FileLockCoordinator : ICoordinator
{
    private const long Mask = (1L << 24) - 1;
    private readonly IRangeLockFile _file;
    private readonly object _gate = new();
    private readonly Dictionary<LockKey, Guid> _held = [];
    private readonly Dictionary<long, int> _byteRefs = [];
    private readonly Dictionary<LockKey, TaskCompletionSource> _releases = [];

    /// <summary>Opens the coordinator's lock file (<c>locks.lck</c> in the database folder).</summary>
    public FileLockCoordinator(IFileSystem fs, DataFolderLayout layout) => _file = fs.OpenRangeLocks(Path.Combine(layout.Root, "locks.lck"));

    /// <inheritdoc />
    public TimeSpan? LockLifetime => null;

    /// <inheritdoc />
    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask<bool> TryLockAsync(IReadOnlyList<LockKey> keys, Guid owner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var taken = new List<LockKey>(keys.Count);
            foreach (var key in keys)
            {
                if (_held.TryGetValue(key, out var holder))
                {
                    if (holder == owner) continue;
                    Release(taken, owner);
                    return ValueTask.FromResult(false);
                }
                long b = ByteOf(key);
                int refs = _byteRefs.GetValueOrDefault(b);
                if (refs == 0 && !_file.TryLock(b))
                {
                    Release(taken, owner);
                    return ValueTask.FromResult(false);
                }
                _byteRefs[b] = refs + 1;
                _held[key] = owner;
                taken.Add(key);
            }
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask UnlockAsync(IReadOnlyList<LockKey> keys, Guid owner, CancellationToken cancellationToken)
    {
        lock (_gate) Release(keys, owner);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask WaitForReleaseAsync(IReadOnlyList<LockKey> keys, Guid owner, TimeSpan max, CancellationToken cancellationToken)
    {
        Task? released = null;
        bool heldElsewhere = false;
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (_held.TryGetValue(key, out var holder))
                {
                    if (holder == owner) continue;
                    if (!_releases.TryGetValue(key, out var tcs)) _releases[key] = tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    released = tcs.Task;
                    break;
                }
                long b = ByteOf(key);
                if (_byteRefs.GetValueOrDefault(b) == 0 && _file.IsLockedByOther(b)) heldElsewhere = true;
            }
        }
        if (released is not null)
        {
            // a transaction of this engine holds it: wake up exactly when it lets go
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(released, Task.Delay(max, timeout.Token)).ConfigureAwait(false);
            await timeout.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }
        if (heldElsewhere) await Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false); // another process: poll
    }

    /// <inheritdoc />
    public ValueTask<bool> ValidateAsync(IReadOnlyList<LockKey> held, IReadOnlyList<LockKey> readOnly, Guid owner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var key in held)
                if (!_held.TryGetValue(key, out var holder) || holder != owner) return ValueTask.FromResult(false);
            foreach (var key in readOnly)
                if (IsLockedByOther(key, owner)) return ValueTask.FromResult(false);
            return ValueTask.FromResult(true);
        }
    }

    private bool IsLockedByOther(LockKey key, Guid owner)
    {
        if (_held.TryGetValue(key, out var holder)) return holder != owner;
        long b = ByteOf(key);
        // A byte this engine holds (for another key) cannot be held by another process.
        return _byteRefs.GetValueOrDefault(b) == 0 && _file.IsLockedByOther(b);
    }

    private void Release(IEnumerable<LockKey> keys, Guid owner)
    {
        foreach (var key in keys)
        {
            if (!_held.TryGetValue(key, out var holder) || holder != owner) continue;
            _held.Remove(key);
            if (_releases.Remove(key, out var waiters)) waiters.TrySetResult();
            long b = ByteOf(key);
            int refs = _byteRefs[b] - 1;
            if (refs == 0)
            {
                _byteRefs.Remove(b);
                _file.Unlock(b);
            }
            else
            {
                _byteRefs[b] = refs;
            }
        }
    }

    private static long ByteOf(LockKey key) => (long)(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key.Value)) & Mask);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var waiting in _releases.Values) waiting.TrySetResult();
            _releases.Clear();
            _held.Clear();
            _byteRefs.Clear();
            _file.Dispose();
        }
    }
}
