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

    /// <summary>
    /// The data folder is shared by several hosts (NFSv4, EFS, Azure Files: close-to-open consistency, decisions.md 17),
    /// so a host's page cache may hold stale pages of another host's registry writes. Every commit is then published
    /// through Redis (the handles it changed, its count slot, the store it dropped), atomically with a folder-wide
    /// sequence, and engines read changed handles from there; engine leases in Redis carry each engine's oldest reader.
    /// Costs one more round trip per transaction start. Leave it off when every engine runs on one host.
    /// </summary>
    public bool MultiHost { get; set; }

    /// <summary>
    /// How many commits the Redis feed keeps for engines catching up; one that falls further behind loads the
    /// whole shared state instead (<see cref="MultiHost"/> only).
    /// </summary>
    public int FeedLength { get; set; } = 10_000;

    /// <summary>
    /// How often an engine renews its lease (<see cref="MultiHost"/>; the lease lives <see cref="LockLifetime"/>).
    /// Null: a fifth of <see cref="LockLifetime"/> (1 s by default).
    /// </summary>
    public TimeSpan? LeaseRenewInterval { get; set; }

    internal TimeSpan EffectiveLeaseRenewInterval => LeaseRenewInterval ?? LockLifetime / 5;

    /// <summary>Time to live of a cached node image (a blob id is written once, so this only bounds memory).</summary>
    public TimeSpan NodeCacheTimeToLive { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>After a failed cache call the cache is skipped this long, so an outage costs no timeout per read.</summary>
    public TimeSpan NodeCacheOutageBackoff { get; set; } = TimeSpan.FromSeconds(5);
}
