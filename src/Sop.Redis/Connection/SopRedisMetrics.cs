using System.Diagnostics.Metrics;

namespace Sop.Redis;

/// <summary>
/// Metrics of clustered mode (System.Diagnostics.Metrics, so OpenTelemetry or dotnet-counters can read them): the
/// Redis round trips the coordinator makes, by operation.
/// </summary>
public static class SopRedisMetrics
{
    /// <summary>The meter name to subscribe to.</summary>
    public const string MeterName = "Sop.Redis";

    /// <summary>The round-trip counter's name; tag <c>operation</c> says what the call was for.</summary>
    public const string RoundTripsName = "sop.redis.round_trips";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> RoundTrips = Meter.CreateCounter<long>(RoundTripsName, unit: "{call}",
        description: "Redis round trips made by the coordinator (each attempt counts)");

    internal static void CountRoundTrip(string operation) => RoundTrips.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
