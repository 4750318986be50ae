using System.Diagnostics.Metrics;

namespace Sop.Diagnostics;

/// <summary>
/// The engine's metrics (System.Diagnostics.Metrics: OpenTelemetry, Prometheus or dotnet-counters read them by the
/// meter name): commits, surfaced conflicts, in-flight merges, commit rounds retried, commit latency, L1 cache hits
/// and misses, blobs written.
/// </summary>
public static class SopMetrics
{
    /// <summary>The meter name to subscribe to.</summary>
    public const string MeterName = "Sop.Engine";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Commits = Meter.CreateCounter<long>("sop.commits", "{transaction}", "transactions committed");

    internal static readonly Counter<long> Conflicts = Meter.CreateCounter<long>("sop.conflicts", "{transaction}",
        "transactions rolled back by a TransactionConflictException (after the engine's own merges and retries)");

    internal static readonly Counter<long> Merges = Meter.CreateCounter<long>("sop.merges", "{store}",
        "in-flight merges: a transaction's operations replayed on a newer tree at commit");

    internal static readonly Counter<long> CommitRetries = Meter.CreateCounter<long>("sop.commit.retries", "{round}",
        "extra commit rounds (lost lock races, nodes that moved)");

    internal static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("sop.commit.duration", "ms",
        "time of CommitAsync for transactions that wrote, until durable and visible");

    internal static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("sop.cache.hits", "{node}", "L1 node cache hits");

    internal static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("sop.cache.misses", "{node}", "L1 node cache misses");

    internal static readonly Counter<long> BlobsWritten = Meter.CreateCounter<long>("sop.blobs.written", "{blob}", "node and value blobs written");
}
