using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sop.Compute.Diagnostics;
using Sop.Compute.Tasks;
using Sop.Compute.Tests.Support;

namespace Sop.Compute.Tests;

/// <summary>The compute swarm's metrics, read through a MeterListener.</summary>
public sealed class ComputeMetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public ComputeMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ComputeMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        _listener.Start();
    }

    [Fact]
    public async Task SubTasksAndRuns_AreCounted()
    {
        await using var f = await ComputeFixture.StartAsync();
        string id = await SubmitPutsAsync(f, "w", 20);
        await f.Compute.Tasks.WorkAsync(id, "agent");
        await f.Compute.Runner.RunAsync("w", ComputeFixture.Args("""{"i":99}"""));
        // other test classes may run at the same time, so at least what this test did
        Assert.True(_totals.GetValueOrDefault("sop.subtasks.claimed") >= 20);
        Assert.True(_totals.GetValueOrDefault("sop.subtasks.completed") >= 20);
        Assert.True(_totals.GetValueOrDefault("sop.macro.runs") >= 1);
    }

    [Fact]
    public async Task QueueDepth_IsTheFolderWideBacklog_AsOfTheLastSweep()
    {
        await using var f = await ComputeFixture.StartAsync();
        string id = await SubmitPutsAsync(f, "q", 12);
        await f.Compute.Tasks.UnfinishedAsync();
        Assert.Equal(12, OutstandingOf(f.Engine.Header.DatabaseId));
        await f.Compute.Tasks.WorkAsync(id, "agent");
        await f.Compute.Tasks.UnfinishedAsync();
        Assert.Equal(0, OutstandingOf(f.Engine.Header.DatabaseId));
    }

    /// <summary>A task of <paramref name="count"/> sub-tasks, each running macro <paramref name="macro"/> that puts one item.</summary>
    private static async Task<string> SubmitPutsAsync(ComputeFixture f, string macro, int count)
    {
        await f.CreateStoreAsync("out");
        await f.Compute.Macros.PutAsync(ComputeFixture.Macro($$$"""{"name":"{{{macro}}}","steps":[{"kind":"put","store":"out","key":"k{{args.i}}","value":1}]}"""));
        var inputs = Enumerable.Range(0, count).Select(i => ComputeFixture.Args($$"""{"i":{{i}}}""")).ToList();
        return await f.Compute.Tasks.SubmitAsync(new TaskRequest(macro, inputs, null));
    }

    private static long? OutstandingOf(Guid database)
    {
        long? seen = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ComputeMetrics.MeterName && instrument.Name == "sop.subtasks.outstanding") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "sop.database" && (string?)tag.Value == database.ToString("N")) seen = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }

    public void Dispose() => _listener.Dispose();
}
