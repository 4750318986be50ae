using System.Diagnostics;
using Sop.Hosting;
using Sop.Redis.Tests.Support;
using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Redis.Tests;

/// <summary>OS processes on one folder coordinating only through one Redis.</summary>
public sealed class RedisMultiProcessTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const int Accounts = 4;
    private const long Opening = 1000;

    [Fact]
    public async Task TwoProcesses_ConcurrentWrites_UnionPresent_CounterExact_BankInvariantHolds()
    {
        using var folder = new TestFolder();
        await using (var engine = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = folder.Path }.UseRedis(redis.Configuration)))
        {
            await engine.CreateStoreAsync<string, long>(new StoreOptions("mp") { SlotLength = 8 });
            await using var tx = engine.Begin();
            var s = tx.OpenStore<string, long>("mp");
            s.Add("counter", 0);
            for (int a = 0; a < Accounts; a++) s.Add($"acct-{a}", Opening);
            await tx.CommitAsync();
        }
        const int perProcess = 100;
        var processes = new[] { "a", "b" }.Select(prefix => StartHelper([folder.Path, "mp", prefix, perProcess.ToString()])).ToList();
        await ProcessHelper.ExpectAllSucceedAsync(processes, $"done {3 * perProcess}");
        await using var check = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = folder.Path }.UseRedis(redis.Configuration));
        await using var read = check.Begin(TransactionMode.ForReading);
        var store = read.OpenStore<string, long>("mp");
        Assert.Equal((2 * perProcess) + 1 + Accounts, store.CheckInvariants());
        for (int i = 0; i < perProcess; i++)
        {
            Assert.True(store.TryGetValue($"a-{i:D5}", out _));
            Assert.True(store.TryGetValue($"b-{i:D5}", out _));
        }
        Assert.True(store.TryGetValue("counter", out long counter));
        Assert.Equal(2 * perProcess, counter);
        long total = 0;
        for (int a = 0; a < Accounts; a++)
        {
            Assert.True(store.TryGetValue($"acct-{a}", out long balance));
            total += balance;
        }
        Assert.Equal(Accounts * Opening, total);
    }

    [Fact]
    public async Task ProcessKilledWhileHoldingALock_ItsLockExpires_OthersProceed_NothingLost()
    {
        using var folder = new TestFolder();
        var lockLifetime = TimeSpan.FromSeconds(1);
        await using var engine = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = folder.Path }
            .UseRedis(redis.Configuration, r => r.LockLifetime = lockLifetime));
        await engine.CreateStoreAsync<string, long>(new StoreOptions("held") { SlotLength = 64 });
        await using (var tx = engine.Begin())
        {
            tx.OpenStore<string, long>("held").Add("before", 1);
            await tx.CommitAsync();
        }
        var holder = StartHelper(["hold", folder.Path, "held"], (int)lockLifetime.TotalMilliseconds);
        try
        {
            string? line = await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(line == "locked", $"helper said '{line}': {await ReadErrors(holder)}");
            // While the holder lives (renewing its lock), a commit on the locked node cannot get through: several
            // lifetimes pass and its lock is not taken over.
            await using (var blocked = engine.Begin(maxTime: 4 * lockLifetime))
            {
                blocked.OpenStore<string, long>("held").Add("during", 2);
                await Assert.ThrowsAsync<Errors.TransactionConflictException>(() => blocked.CommitAsync().AsTask());
            }
            holder.Kill(); // SIGKILL: no unlock, no goodbye
            await holder.WaitForExitAsync();
            await using (var after = engine.Begin(maxTime: TimeSpan.FromSeconds(60)))
            {
                after.OpenStore<string, long>("held").Add("after", 3);
                await after.CommitAsync(); // gets the lock once the dead holder's lifetime ran out
            }
        }
        finally
        {
            if (!holder.HasExited) holder.Kill(entireProcessTree: true);
        }
        await using var read = engine.Begin(TransactionMode.ForReading);
        var s = read.OpenStore<string, long>("held");
        Assert.True(s.TryGetValue("before", out _));
        Assert.True(s.TryGetValue("after", out _));
        Assert.False(s.TryGetValue("during", out _));
    }

    private Process StartHelper(string[] arguments, int? lockMs = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["SOP_HELPER_REDIS"] = redis.Configuration },
        };
        start.ArgumentList.Add(ProcessHelper.Path());
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        if (lockMs is { } ms) start.Environment["SOP_HELPER_LOCK_MS"] = ms.ToString();
        return Process.Start(start)!;
    }

    private static async Task<string> ReadErrors(Process p) => p.HasExited ? await p.StandardError.ReadToEndAsync() : "(still running)";
}
