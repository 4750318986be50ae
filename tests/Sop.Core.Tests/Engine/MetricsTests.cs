using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sop.Diagnostics;
using Sop.Errors;
using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Engine;

/// <summary>The engine's metrics, read the way an OpenTelemetry exporter reads them (a MeterListener).</summary>
public sealed class MetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Name, string? Database), double> _totals = new();

    public MetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SopMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument.Name, 1, tags)); // histograms: count
        _listener.Start();
    }

    private void Add(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? database = null;
        foreach (var tag in tags)
            if (tag.Key == "sop.database") database = tag.Value as string;
        _totals.AddOrUpdate((name, database), value, (_, v) => v + value);
    }

    private double Total(string name, SopEngine engine) => _totals.GetValueOrDefault((name, engine.Header.DatabaseId.ToString("N")));

    [Fact]
    public async Task CommitsConflictsMergesAndBlobs_AreCounted_PerDatabase()
    {
        using var harness = new EngineHarness(StoreKind.Memory);
        await using var engine = await harness.OpenAsync();
        await engine.CreateStoreAsync<string, int>(new StoreOptions("m") { SlotLength = 8 });
        double commitsBefore = Total("sop.commits", engine);
        await using (var tx = engine.Begin())
        {
            tx.OpenStore<string, int>("m").Add("a", 1);
            await tx.CommitAsync();
        }
        // two writers of different keys in one node: the second merges at commit
        await using (var first = engine.Begin())
        await using (var second = engine.Begin())
        {
            first.OpenStore<string, int>("m").Add("b", 2);
            second.OpenStore<string, int>("m").Add("c", 3);
            await first.CommitAsync();
            await second.CommitAsync();
        }
        // the same key changed by both: the loser's conflict is surfaced
        await using (var reader = engine.Begin())
        {
            reader.OpenStore<string, int>("m").TryGetValue("a", out int a);
            await using (var winner = engine.Begin())
            {
                winner.OpenStore<string, int>("m").Update("a", 10);
                await winner.CommitAsync();
            }
            reader.OpenStore<string, int>("m").Update("a", a + 1);
            await Assert.ThrowsAsync<TransactionConflictException>(() => reader.CommitAsync().AsTask());
        }
        Assert.Equal(4, Total("sop.commits", engine) - commitsBefore);
        Assert.Equal(1, Total("sop.conflicts", engine));
        Assert.True(Total("sop.merges", engine) >= 1);
        Assert.True(Total("sop.blobs.written", engine) >= 4);
        Assert.True(Total("sop.commit.duration", engine) >= 4);
    }

    public void Dispose() => _listener.Dispose();
}
