using Microsoft.Extensions.Logging;
using Sop.Redis.Connection;
using Sop.Redis.Options;
using StackExchange.Redis;

namespace Sop.Redis.Coordination;

/// <summary>
/// An engine's liveness lease in Redis (decisions.md 11), renewed on a dedicated thread so a busy thread pool cannot
/// let it lapse. It carries the sequence at which the engine's oldest running transaction started (decisions.md 6),
/// and each renewal answers with the lowest such sequence of all live engines: the reader watermark below which
/// replaced blobs may go. Leases that ran out (their engine died) are dropped by the next renewal of any engine.
/// </summary>
internal sealed partial class ReaderLease : IDisposable
{
    private readonly IDatabase _db;
    private readonly RedisKeys _keys;
    private readonly SopRedisOptions _options;
    private readonly Func<long> _oldestReader;
    private readonly ILogger _logger;
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private long _watermark = -1;

    public ReaderLease(IDatabase db, RedisKeys keys, SopRedisOptions options, Func<long> oldestReader, ILogger logger)
    {
        _db = db;
        _keys = keys;
        _options = options;
        _oldestReader = oldestReader;
        _logger = logger;
        Renew(); // a first answer before the engine's first checkpoint needs one
        _thread = new Thread(Run) { IsBackground = true, Name = "sop-lease" };
        _thread.Start();
    }

    /// <summary>The watermark of the last renewal that answered; null before any did.</summary>
    public long? Watermark => Interlocked.Read(ref _watermark) is var w and >= 0 ? w : null;

    private void Run()
    {
        while (!_stop.Wait(_options.EffectiveLeaseRenewInterval)) Renew();
    }

    private void Renew()
    {
        try
        {
            SopRedisMetrics.CountRoundTrip("lease");
            long oldest = _oldestReader();
            var lowest = _db.ScriptEvaluate(SharingScripts.RenewLease, [_keys.Leases, _keys.Readers],
                [_id, oldest, (long)_options.LockLifetime.TotalMilliseconds, "0"]);
            // the lowest live score, never above this engine's own (which the answer includes)
            long watermark = lowest.IsNull ? oldest : Math.Min(oldest, (long)double.Parse((string)lowest!, System.Globalization.CultureInfo.InvariantCulture));
            Interlocked.Exchange(ref _watermark, watermark);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong (Redis down or refusing writes, a disposed connection), this thread must live on:
            // blobs wait for a later renewal, and the lease runs out by itself if this keeps failing.
            LogRenewFailed(e.Message);
        }
    }

    public void Dispose()
    {
        if (_stop.IsSet) return;
        _stop.Set();
        _thread.Join();
        try
        {
            _db.ScriptEvaluate(SharingScripts.RenewLease, [_keys.Leases, _keys.Readers], [_id, 0, 0, "1"]);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogRenewFailed(e.Message); // the lease runs out by itself
        }
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "renewing the engine lease in Redis failed: {Reason}")]
    private partial void LogRenewFailed(string reason);
}
