using Sop.Coordination;
using Sop.Redis.Connection;

namespace Sop.Redis.Coordination;

/// <summary>Makes a <see cref="RedisCoordinator"/> per engine (wrapped for several hosts when so configured), all on one shared connection.</summary>
internal sealed class RedisCoordinationProvider(SharedRedisConnection connection) : ICoordinationProvider
{
    /// <inheritdoc />
    public ICoordinator Create(CoordinationContext context)
    {
        var coordinator = new RedisCoordinator(connection, context);
        return connection.Options.MultiHost ? new MultiHostRedisCoordinator(coordinator, context) : coordinator;
    }
}
