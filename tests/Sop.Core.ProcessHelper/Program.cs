// A second OS process for the multi-process tests: opens the data folder as its own engine and writes through it.
// With the environment variable SOP_HELPER_REDIS set (a Redis configuration string) the engine runs in clustered
// mode (Redis locks, lock lifetime SOP_HELPER_LOCK_MS milliseconds when set); otherwise it uses the file locks.
// Usage: Sop.Core.ProcessHelper <dataPath> <store> <prefix> <count>
//   adds <count> keys "<prefix>-<i>" (one transaction each), increments the shared key "counter" <count> times with
//   read-modify-write, and when the store holds accounts "acct-0".."acct-3" moves 1 between two of them <count>
//   times (the bank invariant), retrying conflicts; prints "done <commits>" and exits 0.
// Usage: Sop.Core.ProcessHelper loop <dataPath> <store> <prefix>
//   commits one new key "<prefix>-<i>" per transaction forever, printing "ack <key>" after each commit returned,
//   until it is killed (the kill -9 test).
// Usage: Sop.Core.ProcessHelper hold <dataPath> <store>
//   takes the lock of the store's root node as a committer would and keeps it alive (renewing it like a live
//   committer) until killed, printing "locked" once it holds it (the stale-lock tests).
using Sop;
using Sop.Coordination;
using Sop.Errors;
using Sop.Hosting;
using Sop.Redis;

if (args.Length == 3 && args[0] == "hold")
{
    await using var holding = await SopEngine.OpenAsync(Options(args[1]));
    var info = holding.TryGetStoreInfo(args[2]) ?? throw new StoreNotFoundException(args[2]);
    LockKey[] root = [LockKey.ForNode(holding.Header.DatabaseId, args[2], info.RootId)];
    var owner = Guid.NewGuid();
    while (!await holding.Coordinator.TryLockAsync(root, owner, CancellationToken.None)) await Task.Delay(5);
    Console.WriteLine("locked");
    var renew = (holding.Coordinator.LockLifetime ?? TimeSpan.FromSeconds(3)) / 4;
    while (true)
    {
        await Task.Delay(renew);
        await holding.Coordinator.ValidateAsync(root, [], owner, CancellationToken.None);
    }
}

if (args.Length == 4 && args[0] == "loop")
{
    await using var looping = await SopEngine.OpenAsync(Options(args[1]));
    var stdout = Console.Out;
    for (long i = 0; ; i++)
    {
        string key = $"{args[3]}-{i:D6}";
        await using (var tx = looping.Begin())
        {
            tx.OpenStore<string, long>(args[2]).Add(key, i);
            await tx.CommitAsync();
        }
        await stdout.WriteLineAsync("ack " + key);
        await stdout.FlushAsync();
    }
}

if (args.Length != 4 || !int.TryParse(args[3], out int count))
{
    Console.Error.WriteLine("usage: Sop.Core.ProcessHelper <dataPath> <store> <prefix> <count> | loop <dataPath> <store> <prefix> | hold <dataPath> <store>");
    return 2;
}
string store = args[1], prefix = args[2];
await using var engine = await SopEngine.OpenAsync(Options(args[0]));
var rng = new Random(prefix.GetHashCode(StringComparison.Ordinal));
bool bank;
await using (var probe = engine.Begin(Sop.Transactions.TransactionMode.NoCheck))
    bank = probe.OpenStore<string, long>(store).TryGetValue("acct-0", out _);
int commits = 0;
for (int i = 0; i < count; i++)
{
    await Retry(async () =>
    {
        await using var tx = engine.Begin();
        tx.OpenStore<string, long>(store).Add($"{prefix}-{i:D5}", i);
        await tx.CommitAsync();
    });
    await Retry(async () =>
    {
        await using var tx = engine.Begin();
        var s = tx.OpenStore<string, long>(store);
        s.TryGetValue("counter", out long n);
        s.Update("counter", n + 1);
        await tx.CommitAsync();
    });
    commits += 2;
    if (!bank) continue;
    int from = rng.Next(4), to = (from + 1 + rng.Next(3)) % 4;
    await Retry(async () =>
    {
        await using var tx = engine.Begin();
        var s = tx.OpenStore<string, long>(store);
        s.TryGetValue($"acct-{from}", out long a);
        s.TryGetValue($"acct-{to}", out long b);
        s.Update($"acct-{from}", a - 1);
        s.Update($"acct-{to}", b + 1);
        await tx.CommitAsync();
    });
    commits++;
}
Console.WriteLine($"done {commits}");
return 0;

static SopEngineOptions Options(string dataPath)
{
    var options = new SopEngineOptions { DataPath = dataPath };
    if (Environment.GetEnvironmentVariable("SOP_HELPER_REDIS") is { Length: > 0 } redis)
    {
        string? lockMs = Environment.GetEnvironmentVariable("SOP_HELPER_LOCK_MS");
        options.UseRedis(redis, r =>
        {
            if (int.TryParse(lockMs, out int ms)) r.LockLifetime = TimeSpan.FromMilliseconds(ms);
        });
    }
    return options;
}

static async Task Retry(Func<Task> transaction)
{
    for (int attempt = 1; ; attempt++)
    {
        try
        {
            await transaction();
            return;
        }
        catch (TransactionConflictException) when (attempt < 1000)
        {
        }
    }
}
