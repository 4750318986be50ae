using System.Diagnostics;
using Sop.Hosting;
using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Crash;

/// <summary>
/// A child process commits in a loop and is killed with SIGKILL at seeded random moments, 20 times; each restart
/// recovers the folder. Every key whose commit returned before the kill must be there, and the tree must be sound.
/// </summary>
public sealed class KillNineTests
{
    [Fact]
    public async Task ChildKilledTwentyTimes_EveryAcknowledgedCommitSurvives()
    {
        using var folder = new TestFolder();
        await using (var engine = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = folder.Path }))
            await engine.CreateStoreAsync<string, long>(new StoreOptions("k9") { SlotLength = 8 });
        var rng = new Random(9);
        var acknowledged = new List<string>();
        string helper = ProcessHelper.Path();
        for (int cycle = 0; cycle < 20; cycle++)
        {
            int killAfter = rng.Next(1, 40);
            using var child = Process.Start(new ProcessStartInfo("dotnet")
            {
                ArgumentList = { helper, "loop", folder.Path, "k9", $"c{cycle:D2}" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                int acks = 0;
                while (acks < killAfter)
                {
                    string? line = await child.StandardOutput.ReadLineAsync(deadline.Token);
                    if (line is null) Assert.Fail($"cycle {cycle}: child ended early: {await child.StandardError.ReadToEndAsync()}");
                    if (!line.StartsWith("ack ", StringComparison.Ordinal)) continue;
                    acknowledged.Add(line[4..]);
                    acks++;
                }
            }
            finally
            {
                child.Kill(entireProcessTree: true); // SIGKILL: no dispose, no checkpoint, no flush
                await child.WaitForExitAsync();
            }
        }
        await using var check = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = folder.Path });
        await using var tx = check.Begin(TransactionMode.ForReading);
        var s = tx.OpenStore<string, long>("k9");
        long items = s.CheckInvariants();
        var present = s.Scan(keysOnly: true).Select(i => i.Key).ToHashSet();
        var missing = acknowledged.Where(k => !present.Contains(k)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged keys lost, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Equal(items, check.GetCount("k9"));
        Assert.True(present.Count >= acknowledged.Count);
    }
}
