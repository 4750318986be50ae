using Sop.Bench.Comparison;

namespace Sop.Bench.Tests;

/// <summary>The workloads' own checks: a correct store passes them all, a store that loses writes or scans out of order does not.</summary>
public sealed class WorkloadChecksTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"sop-bench-checks-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_correct_store_passes_every_check()
    {
        var report = await RunAsync(new InMemoryStoreKind());
        Assert.Equal(["W1", "W2", "W3", "W4", "W5", "W6", "W7"], report.Workloads.Select(w => w.Id));
        Assert.All(report.Workloads, w => Assert.Null(w.Wrong));
        Assert.True(report.AllChecksPassed);
    }

    [Fact]
    public async Task A_store_that_loses_writes_fails_the_checks_of_every_workload_that_writes()
    {
        var report = await RunAsync(new InMemoryStoreKind(loseEveryTenthWrite: true));
        foreach (string id in new[] { "W1", "W5", "W6", "W7" }) Assert.NotNull(report.Workloads.Single(w => w.Id == id).Wrong);
        Assert.False(report.AllChecksPassed);
    }

    [Fact]
    public async Task A_store_that_scans_out_of_order_fails_the_scan_checks()
    {
        var report = await RunAsync(new InMemoryStoreKind(scanUnordered: true));
        foreach (string id in new[] { "W1", "W3", "W4" }) Assert.Contains("order", report.Workloads.Single(w => w.Id == id).Wrong);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private Task<StoreReport> RunAsync(InMemoryStoreKind kind) =>
        StoreRun.RunAsync(kind, BenchArgs.Parse(["--n", "200", "--m", "20", "--no-warmup"], out _)!, _folder, measureMemory: false, TextWriter.Null);
}
