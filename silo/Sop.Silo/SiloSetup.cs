using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Sop.Compute.Llm;
using Sop.Grains.Compute;
using Sop.Hosting;
using Sop.Redis;
using StackExchange.Redis;

namespace Sop.Silo;

/// <summary>Configures a host as a SopOrleans silo: Orleans (standalone or Redis clustering), the engine and the compute swarm.</summary>
public static class SiloSetup
{
    public static void Configure(IHostApplicationBuilder builder, SiloSettings settings)
    {
        SiloTelemetry.Configure(builder.Services, builder.Configuration, servesHttp: settings.Web || settings.ServesDashboard);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Services.AddSop(o =>
        {
            o.DataPath = settings.DataPath;
            if (settings.Clustered) o.UseRedis(settings.Redis!, r => r.MultiHost = settings.MultiHost);
        });
        builder.Services.AddSopComputeSilo(llm: l => builder.Configuration.GetSection("Sop:Llm").Bind(l));
        builder.UseOrleans(silo =>
        {
            // the Orleans Dashboard at /dashboard wherever the silo serves HTTP (decisions.md 29); Sop:Dashboard=false turns it off
            if (settings.ServesDashboard) silo.AddDashboard();
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ClusterId; // decisions.md 16
            });
            if (settings.Clustered)
            {
                silo.UseRedisClustering(o =>
                {
                    o.ConfigurationOptions = ConfigurationOptions.Parse(settings.Redis!);
                    o.EntryExpiry = TimeSpan.FromHours(1); // dead rows do not pile up in Redis
                });
                silo.ConfigureEndpoints(settings.AdvertisedIP ?? IPAddress.Loopback, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
            }
            else
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ClusterId, clusterId: settings.ClusterId);
            }
            // A dead silo is declared within a few seconds, so the API serves again well inside 10 s (decisions.md 16).
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 2;
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
                o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
            });
        });
    }
}
