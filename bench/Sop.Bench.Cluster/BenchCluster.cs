using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Sop.Grains.Compute;
using Sop.Hosting;

namespace Sop.Bench.Cluster;

/// <summary>An in-process cluster of N silos on one data folder (what the benchmark measures through).</summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly string _folder;

    private BenchCluster(TestCluster cluster, string folder)
    {
        Cluster = cluster;
        _folder = folder;
    }

    public TestCluster Cluster { get; }

    public static async Task<BenchCluster> StartAsync(int silos)
    {
        string folder = Path.Combine(Path.GetTempPath(), "sop-bench-cluster-" + Guid.NewGuid().ToString("N"));
        var builder = new TestClusterBuilder((short)silos);
        builder.Properties["SopDataPath"] = folder;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new BenchCluster(cluster, folder);
    }

    /// <summary>The grain factory inside each silo: calls made through it run their stateless workers on that silo.</summary>
    public IReadOnlyList<IGrainFactory> SiloFactories() =>
        Cluster.Silos.Select(s => ((InProcessSiloHandle)s).SiloHost.Services.GetRequiredService<IGrainFactory>()).ToList();

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class SiloConfigurator : IHostConfigurator
    {
        public void Configure(IHostBuilder host) => host.ConfigureServices((context, services) =>
        {
            services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            services.AddSop(o => o.DataPath = context.Configuration["SopDataPath"]!);
            services.AddSopComputeSilo();
        });
    }
}
