using System.Diagnostics.Metrics;
using System.Globalization;
using Sop.Redis;

namespace Sop.Bench;

/// <summary>Counts the coordinator's Redis round trips (its metric) during a measured part, token refreshes and lease renewals aside.</summary>
internal sealed class RedisRoundTrips : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;
    private volatile bool _counting;

    public RedisRoundTrips()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SopRedisMetrics.MeterName && instrument.Name == SopRedisMetrics.RoundTripsName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (!_counting) return;
            foreach (var tag in tags)
                if (tag.Key == "operation" && tag.Value as string is "refresh_token" or "lease") return; // background, not per commit
            Interlocked.Add(ref _count, value);
        });
        _listener.Start();
    }

    /// <summary>Starts counting from zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        _counting = true;
    }

    public void Stop() => _counting = false;

    public string PerCommit(long commits) => string.Create(CultureInfo.InvariantCulture, $"{(double)Interlocked.Read(ref _count) / commits:F2}");

    public void Dispose() => _listener.Dispose();
}
