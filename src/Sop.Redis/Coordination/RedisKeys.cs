using Sop.Coordination;
using StackExchange.Redis;

namespace Sop.Redis.Coordination;

/// <summary>
/// Every key of one database folder: <c>{prefix}:{&lt;folder GUID&gt;}:...</c>. The braces are a hash tag, so a
/// folder's keys share one slot of a Redis Cluster and the multi-key scripts work there too.
/// </summary>
internal sealed class RedisKeys(string prefix, Guid databaseId)
{
    private readonly string _scope = $"{prefix}:{{{databaseId:N}}}:";

    /// <summary>The not-restarted token (decisions.md 13).</summary>
    public RedisKey Token => _scope + "token";

    /// <summary>The folder incarnation Redis has seen for this GUID (decisions.md 12).</summary>
    public RedisKey Incarnation => _scope + "incarnation";

    /// <summary>The folder-wide publish sequence (multi-host).</summary>
    public RedisKey Seq => _scope + "seq";

    /// <summary>The stream of recent commits, one entry per sequence number (multi-host).</summary>
    public RedisKey Feed => _scope + "feed";

    /// <summary>The latest value of every shared field: node handles, count slots (multi-host).</summary>
    public RedisKey Latest => _scope + "latest";

    /// <summary>The ids of dropped stores (multi-host).</summary>
    public RedisKey Dropped => _scope + "dropped";

    /// <summary>Per writer slot, the highest log sequence published (multi-host).</summary>
    public RedisKey SlotMarks => _scope + "slots";

    /// <summary>Commits the lock server refused ("slot:log sequence"): recovery never redoes them (multi-host).</summary>
    public RedisKey Refused => _scope + "refused";

    /// <summary>Per engine, when its lease runs out (ms since the epoch, Redis clock).</summary>
    public RedisKey Leases => _scope + "leases";

    /// <summary>Per engine, the sequence its oldest running transaction started at (a sorted set).</summary>
    public RedisKey Readers => _scope + "readers";

    /// <summary>The Redis key of a lock scent.</summary>
    public RedisKey Lock(LockKey key) => _scope + "l:" + key.Value;
}
