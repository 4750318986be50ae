using Polly;
using Polly.Retry;
using Sop.Errors;
using Sop.Redis.Options;
using StackExchange.Redis;

namespace Sop.Redis.Connection;

/// <summary>
/// Runs Redis calls with bounded retries (Polly): connection failures, timeouts and a server still loading its data
/// are retried with jittered exponential backoff; when the attempts are spent the caller gets a
/// <see cref="CoordinationUnavailableException"/> naming the server, never a hang.
/// </summary>
internal sealed class RedisCalls
{
    private readonly ResiliencePipeline _pipeline;
    private readonly string _server;
    private readonly int _attempts;

    public RedisCalls(SopRedisOptions options, TimeProvider time)
    {
        _server = options.Configuration;
        _attempts = options.RetryAttempts + 1;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.RetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = options.RetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }
        _pipeline = builder.Build();
    }

    /// <summary>True for failures that a later attempt may not see (the server restarting, a dropped connection).</summary>
    public static bool IsTransient(Exception e) =>
        e is RedisConnectionException or RedisTimeoutException or TimeoutException
        || (e is RedisServerException s && (s.Message.StartsWith("LOADING", StringComparison.Ordinal) || s.Message.StartsWith("BUSY", StringComparison.Ordinal)));

    /// <summary>Runs <paramref name="call"/> under the retry policy; <paramref name="what"/> names the operation (metrics, errors).</summary>
    public async ValueTask<T> RunAsync<T, TState>(string what, TState state, Func<TState, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(static async (s, _) =>
                {
                    SopRedisMetrics.CountRoundTrip(s.what);
                    return await s.call(s.state).ConfigureAwait(false);
                }, (call, state, what), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw Unavailable(what, e);
        }
    }

    /// <summary>
    /// <see cref="RunAsync"/> for callers that must block (a synchronous API): the client's synchronous calls, whose
    /// answers arrive on its own I/O threads, so a starved thread pool cannot stall them.
    /// </summary>
    public T Run<T, TState>(string what, TState state, Func<TState, T> call)
    {
        try
        {
            return _pipeline.Execute(static s =>
            {
                SopRedisMetrics.CountRoundTrip(s.what);
                return s.call(s.state);
            }, (call, state, what));
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw Unavailable(what, e);
        }
    }

    private CoordinationUnavailableException Unavailable(string what, Exception e) =>
        new($"Redis ({_server}) did not answer a '{what}' call after {_attempts} attempt(s): {e.Message}", e);
}
