using System.Reflection;
using Sop.Redis.Coordination;
using StackExchange.Redis;

namespace Sop.Redis.Tests.Support;

/// <summary>When a multi-host publish fails: never at all, before it reached Redis, or after Redis ran it (the answer lost).</summary>
public enum PublishFailure
{
    None,
    BeforeRedis,
    AnswerLost,
}

/// <summary>
/// A Redis database handle that fails the next multi-host publish (the script that publishes a commit and releases its
/// locks) the way <see cref="Failure"/> says, as a call that timed out would; every other call goes through.
/// </summary>
public class FailingPublishDatabase : DispatchProxy
{
    private IDatabase _inner = null!;

    public PublishFailure Failure { get; set; }

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
        bool publish = targetMethod!.Name == nameof(IDatabase.ScriptEvaluateAsync) && args is [string script, ..] && script == SharingScripts.PublishAndUnlock;
        if (!publish || failure == PublishFailure.None) return Call(targetMethod, args);
        Failure = PublishFailure.None; // once
        var injected = new RedisTimeoutException(CommandFlags.None, "injected: no answer to a publish", CommandStatus.Unknown);
        if (failure == PublishFailure.BeforeRedis) return Task.FromException<RedisResult>(injected);
        var sent = (Task<RedisResult>)Call(targetMethod, args)!;
        return sent.ContinueWith<RedisResult>(_ => throw injected, TaskScheduler.Default);
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
