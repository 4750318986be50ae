using System.Collections.Concurrent;
using System.Diagnostics;
using Sop.Coordination;
using Sop.Errors;
using Sop.Redis.Tests.Support;
using Sop.Transactions;

namespace Sop.Redis.Tests;

/// <summary>
/// Redis restarts and loses every key (the not-restarted token, every lock): engines notice, grant no lock until one
/// lock lifetime has passed and recovery ran, then go on under a new token; nothing acknowledged is lost.
/// </summary>
public sealed class RedisRestartTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private const int Accounts = 8;
    private const long Opening = 1000;
    private readonly RedisEngines _engines = new(redis);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _engines.DisposeAsync().AsTask();

    [Fact]
    public async Task RestartMidWorkload_NothingAcknowledgedLost_BankInvariantHolds()
    {
        var e1 = await _engines.OpenAsync(r => r.RetryAttempts = 2);
        var e2 = await _engines.OpenAsync(r => r.RetryAttempts = 2);
        await e1.CreateStoreAsync<string, long>(new StoreOptions("bank") { SlotLength = 4 });
        await e1.CreateStoreAsync<string, long>(new StoreOptions("log") { SlotLength = 16 });
        await using (var tx = e1.Begin())
        {
            var bank = tx.OpenStore<string, long>("bank");
            for (int a = 0; a < Accounts; a++) bank.Add($"acct-{a}", Opening);
            await tx.CommitAsync();
        }
        var acknowledged = new ConcurrentBag<string>();
        int unavailable = 0, acksAfterRestart = 0;
        bool restarted = false;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var engine = w % 2 == 0 ? e1 : e2;
            var rng = new Random(w);
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                string key = $"w{w}-{i:D5}";
                int from = rng.Next(Accounts), to = (from + 1 + rng.Next(Accounts - 1)) % Accounts;
                try
                {
                    await using var tx = engine.Begin();
                    tx.OpenStore<string, long>("log").Add(key, i);
                    var bank = tx.OpenStore<string, long>("bank");
                    bank.Update($"acct-{from}", bank.TryGetValue($"acct-{from}", out long a) ? a - 1 : throw new InvalidOperationException("account vanished"));
                    bank.Update($"acct-{to}", bank.TryGetValue($"acct-{to}", out long b) ? b + 1 : throw new InvalidOperationException("account vanished"));
                    await tx.CommitAsync();
                    acknowledged.Add(key);
                    if (Volatile.Read(ref restarted)) Interlocked.Increment(ref acksAfterRestart);
                }
                catch (TransactionConflictException)
                {
                }
                catch (CoordinationUnavailableException)
                {
                    Interlocked.Increment(ref unavailable); // not committed: Redis was down for this one
                    await Task.Delay(20);
                }
            }
        })).ToList();

        await WaitUntil(() => acknowledged.Count >= 60, "the workload never got going");
        await redis.RestartAsync();
        Volatile.Write(ref restarted, true);
        await WaitUntil(() => Volatile.Read(ref acksAfterRestart) >= 60, "the workload never recovered from the Redis restart");
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.True(RedisEngines.CoordinatorOf(e1).Token.Losses + RedisEngines.CoordinatorOf(e2).Token.Losses >= 1, "no engine noticed the lost token");
        await using var check = e1.Begin(TransactionMode.ForReading);
        var log = check.OpenStore<string, long>("log");
        foreach (string key in acknowledged) Assert.True(log.TryGetValue(key, out _), $"acknowledged commit {key} was lost");
        Assert.Equal(acknowledged.Count, log.CheckInvariants());
        var bankCheck = check.OpenStore<string, long>("bank");
        Assert.Equal(Accounts * Opening, bankCheck.Scan().Sum(item => item.Value));
        Assert.Equal(Accounts, bankCheck.CheckInvariants());
        await check.CommitAsync();
    }

    [Fact]
    public async Task AfterRestart_NoLockIsGranted_UntilOneLockLifetimeHasPassed()
    {
        var lifetime = TimeSpan.FromSeconds(1);
        var e1 = await _engines.OpenAsync(r => r.LockLifetime = lifetime);
        var e2 = await _engines.OpenAsync(r => r.LockLifetime = lifetime);
        var key = LockKey.ForStoreName(e1.Header.DatabaseId, "in-flight");
        // e1 is "mid-commit" on the key when Redis restarts and forgets the lock
        Assert.True(await e1.Coordinator.TryLockAsync([key], Guid.NewGuid(), default));
        await redis.RestartAsync();
        var watch = Stopwatch.StartNew();
        bool granted = false;
        while (!granted)
        {
            try
            {
                granted = await e2.Coordinator.TryLockAsync([key], Guid.NewGuid(), default);
            }
            catch (CoordinationUnavailableException)
            {
                // the client is still reconnecting
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the lock was never granted again");
        }
        // a safety bound, not a speed one: e1's vanished lock stayed respected for at least its lifetime
        Assert.True(watch.Elapsed >= lifetime, $"a lock was granted {watch.Elapsed} after the restart, before one lock lifetime ({lifetime})");
        Assert.Equal(1, RedisEngines.CoordinatorOf(e2).Token.Losses);
    }

    private static async Task WaitUntil(Func<bool> condition, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), failure);
            await Task.Delay(10);
        }
    }
}
