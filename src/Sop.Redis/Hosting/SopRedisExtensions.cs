using Sop.Hosting;
using Sop.Redis.Caching;
using Sop.Redis.Connection;
using Sop.Redis.Coordination;
using Sop.Redis.Options;

namespace Sop.Redis;

/// <summary>Switches an engine to clustered mode: configuration only, the folder format stays the same.</summary>
public static class SopRedisExtensions
{
    /// <summary>
    /// Coordinates through Redis instead of host-local file locks: lock scents, the not-restarted token and (when
    /// <see cref="SopRedisOptions.NodeCache"/> is on) the L2 node cache. E.g.
    /// <c>services.AddSop(o => o.UseRedis("127.0.0.1:6379"))</c>. Every engine opened with these options shares one
    /// connection. Throws <see cref="Errors.InvalidArgumentException"/> for invalid Redis options.
    /// </summary>
    /// <param name="options">The engine options to change.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>.</param>
    /// <param name="configure">Adjusts the Redis options (lock lifetime, retries, L2 cache, ...).</param>
    public static SopEngineOptions UseRedis(this SopEngineOptions options, string configuration, Action<SopRedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var redis = new SopRedisOptions { Configuration = configuration };
        configure?.Invoke(redis);
        return options.UseRedis(redis, decorator: null);
    }

    /// <summary>Clustered mode with a wrapper around the Redis database handle (tests count round trips with it).</summary>
    internal static SopEngineOptions UseRedis(this SopEngineOptions options, SopRedisOptions redis, Func<StackExchange.Redis.IDatabase, StackExchange.Redis.IDatabase>? decorator)
    {
        var validation = new SopRedisOptionsValidator().Validate(null, redis);
        if (validation.Failed) throw new Errors.InvalidArgumentException("invalid Redis options: " + validation.FailureMessage);
        var connection = new SharedRedisConnection(redis) { Decorator = decorator };
        options.Coordination = new RedisCoordinationProvider(connection);
        if (redis.NodeCache) options.L2Cache = new RedisL2Cache(connection, options.Time);
        return options;
    }
}
