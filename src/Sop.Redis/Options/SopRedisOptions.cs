namespace Sop.Redis.Options;

/// <summary>Clustered mode: where Redis is and how the engine uses it (decisions.md 11–14 give the defaults).</summary>
public sealed class SopRedisOptions
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>host:6379,password=...</c>.</summary>
    public string Configuration { get; set; } = "";

    /// <summary>Prefix of every key this engine writes, so several products can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "sop";

    /// <summary>
    /// How long a lock outlives its owner's last take, validation or extension (the lease TTL of decisions.md 11): a
    /// crashed engine's locks are free again after this; a live committer past half of it extends them before its
    /// commit record or starts over.
    /// </summary>
    public TimeSpan LockLifetime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time to live of the not-restarted token; every engine slides it forward on each refresh.</summary>
    public TimeSpan TokenTimeToLive { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often an engine refreshes the token, which is also how soon it notices that Redis lost its keys.</summary>
    public TimeSpan TokenRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts after the first failed Redis call before <see cref="Errors.CoordinationUnavailableException"/>.</summary>
    public int RetryAttempts { get; set; } = 4;

    /// <summary>First retry delay; it doubles per attempt (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Time limit of one Redis call and of connecting.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Cache node images in Redis (L2). Off by default: on one host every engine reads the shared folder through the
    /// OS page cache, which is faster than a network round trip; turn it on when the folder is a network share.
    /// </summary>
    public bool NodeCache { get; set; }

    /// <summary>Time to live of a cached node image (a blob id is written once, so this only bounds memory).</summary>
    public TimeSpan NodeCacheTimeToLive { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>After a failed cache call the cache is skipped this long, so an outage costs no timeout per read.</summary>
    public TimeSpan NodeCacheOutageBackoff { get; set; } = TimeSpan.FromSeconds(5);
}
