using Microsoft.Extensions.Time.Testing;
using Sop.Errors;
using Sop.Hosting;
using Sop.Storage;
using Sop.Transactions;

namespace Sop.Tests.Regressions;

/// <summary>
/// Bug: disposing (or rolling back) a transaction that had run past its maximum time threw
/// <see cref="TransactionTimeoutException"/> from <c>DisposeAsync</c>, because rollback checked the deadline.
/// </summary>
public sealed class DisposePastDeadlineRegressionTests
{
    [Fact]
    public async Task TransactionPastItsMaxTime_DisposesQuietly_AndItsWritesAreGone()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T00:00:00Z"));
        await using var engine = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = "/db", FileSystem = new InMemoryFileSystem(time), Time = time });
        await engine.CreateStoreAsync<int, int>(new StoreOptions("d"));
        var tx = engine.Begin(maxTime: TimeSpan.FromSeconds(5));
        tx.OpenStore<int, int>("d").Add(1, 1);
        time.Advance(TimeSpan.FromSeconds(6));
        await tx.DisposeAsync();
        Assert.False(tx.IsActive);
        Assert.Equal(0, engine.GetCount("d"));
    }
}
