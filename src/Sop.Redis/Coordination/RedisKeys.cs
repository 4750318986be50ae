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

    /// <summary>The Redis key of a lock scent.</summary>
    public RedisKey Lock(LockKey key) => _scope + "l:" + key.Value;
}
