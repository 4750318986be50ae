using System.Reflection;
using Sop.Redis.Coordination;
using StackExchange.Redis;

namespace Sop.Redis.Tests.Support;

/// <summary>
/// What happens to the next multi-host publish: nothing, it fails before it reached Redis, it fails after Redis ran it
/// (the answer lost), or it waits at the door until <see cref="FailingPublishDatabase.Release"/> (a slow network).
/// </summary>
public enum PublishFailure
{
    None,
    BeforeRedis,
    AnswerLost,
    Held,
}

/// <summary>
/// A Redis database handle that fails the next multi-host publish (the script that publishes a commit and releases its
/// locks) the way <see cref="Failure"/> says, as a call that timed out would; every other call goes through.
/// </summary>
public class FailingPublishDatabase : DispatchProxy
{
    private IDatabase _inner = null!;

    public PublishFailure Failure { get; set; }

    /// <summary>Set when a held publish arrived.</summary>
    public ManualResetEventSlim Arrived { get; } = new();

    /// <summary>Lets a held publish go on to Redis.</summary>
    public ManualResetEventSlim Release { get; } = new();

    public static (IDatabase Database, FailingPublishDatabase Control) Wrap(IDatabase inner)
    {
        var proxy = Create<IDatabase, FailingPublishDatabase>();
        var control = (FailingPublishDatabase)(object)proxy;
        control._inner = inner;
        return (proxy, control);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var failure = Failure;
        bool publish = targetMethod!.Name is nameof(IDatabase.ScriptEvaluate) or nameof(IDatabase.ScriptEvaluateAsync)
            && args is [string script, ..] && script == SharingScripts.PublishAndUnlock;
        if (!publish || failure == PublishFailure.None) return Call(targetMethod, args);
        Failure = PublishFailure.None; // once
        if (failure == PublishFailure.Held)
        {
            Arrived.Set();
            if (!Release.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("the held publish was never released");
            return Call(targetMethod, args);
        }
        var injected = new RedisTimeoutException(CommandFlags.None, "injected: no answer to a publish", CommandStatus.Unknown);
        bool async = targetMethod.Name == nameof(IDatabase.ScriptEvaluateAsync);
        if (failure == PublishFailure.BeforeRedis) return async ? Task.FromException<RedisResult>(injected) : throw injected;
        var sent = Call(targetMethod, args);
        if (!async) throw injected;
        return ((Task<RedisResult>)sent!).ContinueWith<RedisResult>(_ => throw injected, TaskScheduler.Default);
    }

    private object? Call(MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
