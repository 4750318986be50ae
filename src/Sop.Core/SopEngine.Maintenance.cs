using Microsoft.Extensions.Logging;
using Sop.Ids;
using Sop.Recovery;
using Sop.Storage;

namespace Sop;

public sealed partial class SopEngine
{
    /// <summary>
    /// One recovery sweep while the folder is in use: takes over the writer slots of engines that died (redoing their
    /// logs) and, when <paramref name="sweepOrphans"/>, deletes unreferenced blob files older than the transaction
    /// maximum time plus a minute. Never touches a live engine's slot. Returns the number of orphan blobs deleted.
    /// </summary>
    public ValueTask<int> RecoverAsync(bool sweepOrphans, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RecoverDeadSlots();
        if (!sweepOrphans) return ValueTask.FromResult(0);
        var sweeper = new OrphanSweeper(_fs, Layout, Blobs, Options.Time);
        var keep = new HashSet<BlobId>(_obsolete.Select(o => o.Blob)); // still owed to this engine's older readers
        var grace = Options.TransactionMaxTime + TimeSpan.FromMinutes(1);
        int deleted = 0;
        foreach (string name in _fs.ListDirectories(Layout.StoresDirectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!StoreNames.IsValidUserName(name) && !StoreNames.IsValidSystemName(name)) continue;
            var store = OpenForRecovery(name);
            if (store is not null) deleted += sweeper.Sweep(store, grace, keep);
        }
        if (deleted > 0) _logger.LogInformation("orphan sweep deleted {Count} unreferenced blobs in {Folder}", deleted, Layout.Root);
        return ValueTask.FromResult(deleted);
    }

    /// <summary>Unreferenced blob files of a store older than the grace period (what the next sweep would delete).</summary>
    internal IReadOnlyList<string> FindOrphanBlobs(string store) =>
        new OrphanSweeper(_fs, Layout, Blobs, Options.Time).FindOrphans(GetRuntime(store), Options.TransactionMaxTime + TimeSpan.FromMinutes(1),
            new HashSet<BlobId>(_obsolete.Select(o => o.Blob)));

    /// <summary>
    /// The background recovery loop, for an <c>IHostedService</c> to run until shutdown: every
    /// <see cref="Hosting.SopEngineOptions.RecoveryInterval"/> it takes over dead engines' slots, and every
    /// <see cref="Hosting.SopEngineOptions.OrphanSweepInterval"/> it also sweeps orphan blobs. Failures are logged and
    /// retried next round; cancellation ends it.
    /// </summary>
    public async Task RunRecoveryLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.RecoveryInterval, Options.Time);
        var nextSweep = Options.Time.GetUtcNow() + Options.OrphanSweepInterval;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                bool sweep = Options.Time.GetUtcNow() >= nextSweep;
                try
                {
                    await RecoverAsync(sweep, cancellationToken).ConfigureAwait(false);
                    if (sweep) nextSweep = Options.Time.GetUtcNow() + Options.OrphanSweepInterval;
                }
                catch (Exception e) when (e is IOException or Errors.SopException)
                {
                    _logger.LogWarning(e, "recovery sweep failed; retrying next round");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
