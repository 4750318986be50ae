// A second OS process for the multi-process tests: opens the data folder as its own engine and writes through it.
// Usage: Sop.Core.ProcessHelper <dataPath> <store> <prefix> <count>
//   adds <count> keys "<prefix>-<i>" (one transaction each) and increments the shared key "counter" <count> times
//   with read-modify-write, retrying conflicts; prints "done <commits>" and exits 0.
// Usage: Sop.Core.ProcessHelper loop <dataPath> <store> <prefix>
//   commits one new key "<prefix>-<i>" per transaction forever, printing "ack <key>" after each commit returned,
//   until it is killed (the kill -9 test).
using Sop;
using Sop.Errors;
using Sop.Hosting;

if (args.Length == 4 && args[0] == "loop")
{
    await using var looping = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = args[1] });
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
    Console.Error.WriteLine("usage: Sop.Core.ProcessHelper <dataPath> <store> <prefix> <count> | loop <dataPath> <store> <prefix>");
    return 2;
}
string store = args[1], prefix = args[2];
await using var engine = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = args[0] });
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
}
Console.WriteLine($"done {commits}");
return 0;

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
