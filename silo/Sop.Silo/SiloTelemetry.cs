using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Sop.Compute.Diagnostics;
using Sop.Diagnostics;
using Sop.Redis;

namespace Sop.Silo;

/// <summary>
/// OpenTelemetry metrics of the engine, the compute swarm and clustered mode, exported when configured:
/// <c>Sop:Metrics:Prometheus=true</c> serves <c>/metrics</c> (where the silo serves HTTP), <c>Sop:Metrics:OtlpEndpoint</c>
/// pushes OTLP.
/// </summary>
public static class SiloTelemetry
{
    public static bool PrometheusEnabled(IConfiguration configuration) => SiloSettings.IsTrue(configuration["Sop:Metrics:Prometheus"]);

    public static void Configure(IServiceCollection services, IConfiguration configuration, bool servesHttp)
    {
        string? otlp = configuration["Sop:Metrics:OtlpEndpoint"];
        bool prometheus = servesHttp && PrometheusEnabled(configuration);
        if (string.IsNullOrWhiteSpace(otlp) && !prometheus) return;
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(SopMetrics.MeterName, ComputeMetrics.MeterName, SopRedisMetrics.MeterName);
            if (prometheus) metrics.AddPrometheusExporter();
            if (!string.IsNullOrWhiteSpace(otlp)) metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
        });
    }
}
