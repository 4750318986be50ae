using System.Diagnostics;
using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Concurrency;

/// <summary>Two OS processes write the same store of one folder at once: the union is there and no update is lost.</summary>
public sealed class MultiProcessTests
{
    [Fact]
    public async Task TwoProcesses_ConcurrentWrites_UnionPresentAndCounterExact()
    {
        using var folder = new TestFolder();
        await using (var engine = await SopEngine.OpenAsync(new Hosting.SopEngineOptions { DataPath = folder.Path }))
        {
            await engine.CreateStoreAsync<string, long>(new StoreOptions("mp") { SlotLength = 8 });
            await using var tx = engine.Begin();
            tx.OpenStore<string, long>("mp").Add("counter", 0);
            await tx.CommitAsync();
        }
        const int perProcess = 150;
        string helper = ProcessHelper.Path();
        var processes = new[] { "a", "b" }.Select(prefix => Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { helper, folder.Path, "mp", prefix, perProcess.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!).ToList();
        await ProcessHelper.ExpectAllSucceedAsync(processes, $"done {2 * perProcess}");
        await using var check = await SopEngine.OpenAsync(new Hosting.SopEngineOptions { DataPath = folder.Path });
        await using var read = check.Begin(TransactionMode.ForReading);
        var s = read.OpenStore<string, long>("mp");
        Assert.Equal((2 * perProcess) + 1, s.CheckInvariants());
        Assert.Equal((2 * perProcess) + 1, check.GetCount("mp"));
        Assert.True(s.TryGetValue("counter", out long counter));
        Assert.Equal(2 * perProcess, counter);
    }
}
