using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Sop.Compute.Hosting;
using Sop.Grains.Compute;
using Sop.Hosting;

namespace Sop.Grains.Tests;

/// <summary>A 2-silo TestCluster whose silos share one data folder (two engines, host-local file locks), with the compute swarm.</summary>
public sealed class SopCluster : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sop-cluster-" + Guid.NewGuid().ToString("N"));

    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>The grain factory inside each silo: calls made through it run their stateless workers on that silo.</summary>
    public IReadOnlyList<IGrainFactory> SiloFactories() =>
        Cluster.Silos.Select(s => ((InProcessSiloHandle)s).SiloHost.Services.GetRequiredService<IGrainFactory>()).ToList();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var builder = new TestClusterBuilder(2);
        builder.Properties["SopDataPath"] = _folder;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
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
        public void Configure(Microsoft.Extensions.Hosting.IHostBuilder host) => host.ConfigureServices((context, services) =>
        {
            services.AddSop(o => o.DataPath = context.Configuration["SopDataPath"]!);
            services.AddSopComputeSilo(o => o.SubTaskLease = TimeSpan.FromSeconds(3));
        });
    }
}
