using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Sop.Storage;

namespace Sop.Coordination;

/// <summary>
/// Serializes the validate-and-publish part of commits of every engine on one database folder: a semaphore shared
/// by the engines of this process plus an exclusive lock file for other processes.
/// </summary>
/// <remarks>
/// This is the single-writer-at-a-time commit of the engine core. Node and item locks through a coordinator with
/// in-flight merging replace it for concurrent writers; readers never take it.
/// </remarks>
internal sealed class CommitGate
{
    private static readonly ConditionalWeakTable<IFileSystem, ConcurrentDictionary<string, SemaphoreSlim>> s_local = new();
    private readonly SemaphoreSlim _local;
    private readonly IFileSystem _fs;
    private readonly string _lockPath;

    public CommitGate(IFileSystem fs, DataFolderLayout layout)
    {
        _fs = fs;
        _lockPath = Path.Combine(layout.Root, "commit.lock");
        _local = s_local.GetOrCreateValue(fs).GetOrAdd(layout.Root, _ => new SemaphoreSlim(1, 1));
    }

    public async ValueTask<IDisposable> EnterAsync(DateTimeOffset deadline, TimeProvider time, CancellationToken ct)
    {
        var wait = deadline - time.GetUtcNow();
        if (wait < TimeSpan.Zero || !await _local.WaitAsync(wait, ct).ConfigureAwait(false))
            throw new Errors.TransactionTimeoutException("the transaction's maximum time passed while waiting to commit");
        try
        {
            var spin = 0;
            while (true)
            {
                var held = _fs.TryLockExclusive(_lockPath);
                if (held is not null) return new Held(this, held);
                if (time.GetUtcNow() > deadline)
                    throw new Errors.TransactionTimeoutException("the transaction's maximum time passed while another process was committing");
                await Task.Delay(Math.Min(1 + spin++, 10), ct).ConfigureAwait(false);
            }
        }
        catch
        {
            _local.Release();
            throw;
        }
    }

    private sealed class Held(CommitGate gate, IDisposable fileLock) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return;
            fileLock.Dispose();
            gate._local.Release();
        }
    }
}
