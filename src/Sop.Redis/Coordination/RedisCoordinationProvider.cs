using Sop.Coordination;
using Sop.Redis.Connection;

namespace Sop.Redis.Coordination;

/// <summary>Makes a <see cref="RedisCoordinator"/> per engine, all on one shared connection.</summary>
internal sealed class RedisCoordinationProvider(SharedRedisConnection connection) : ICoordinationProvider
{
    /// <inheritdoc />
    public ICoordinator Create(CoordinationContext context) => new RedisCoordinator(connection, context);
}
