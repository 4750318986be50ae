using System.Collections.Concurrent;
using System.Reflection;
using StackExchange.Redis;

namespace Sop.Redis.Tests.Support;

/// <summary>
/// A wrapper around the Redis database handle that counts the calls made through it: each call of the coordinator
/// is one network round trip (no batches or pipelines are hidden behind it).
/// </summary>
public class CountingDatabase : DispatchProxy
{
    private IDatabase _inner = null!;
    private readonly ConcurrentQueue<string> _calls = new();

    public static (IDatabase Database, CountingDatabase Counter) Wrap(IDatabase inner)
    {
        var proxy = Create<IDatabase, CountingDatabase>();
        var counter = (CountingDatabase)(object)proxy;
        counter._inner = inner;
        return (proxy, counter);
    }

    /// <summary>Every call since the last <see cref="Reset"/>, by method name.</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    public void Reset() => _calls.Clear();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        _calls.Enqueue(targetMethod!.Name);
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
