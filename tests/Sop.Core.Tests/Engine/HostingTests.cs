using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sop.Hosting;
using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Engine;

/// <summary><c>services.AddSop(...)</c> in a generic host: opened at start, reachable through DI, closed at stop.</summary>
public sealed class HostingTests
{
    private static IHost Build(Action<SopEngineOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSop(configure);
        return builder.Build();
    }

    [Fact]
    public async Task AddSop_OpensTheEngineAtStart_AndClosesItAtStop_DataSurvivesARestart()
    {
        using var folder = new TestFolder();
        using (var host = Build(o => o.DataPath = folder.Path))
        {
            await host.StartAsync();
            var engine = await host.Services.GetRequiredService<ISopEngineAccessor>().GetEngineAsync();
            await engine.CreateStoreAsync<string, int>(new StoreOptions("hosted"));
            await using (var tx = engine.Begin())
            {
                tx.OpenStore<string, int>("hosted").Add("a", 1);
                await tx.CommitAsync();
            }
            await host.StopAsync();
            Assert.Throws<ObjectDisposedException>(() => engine.Begin());
        }
        using (var again = Build(o => o.DataPath = folder.Path))
        {
            await again.StartAsync();
            var engine = await again.Services.GetRequiredService<ISopEngineAccessor>().GetEngineAsync();
            await using var tx = engine.Begin(TransactionMode.ForReading);
            Assert.True(tx.OpenStore<string, int>("hosted").TryGetValue("a", out int a));
            Assert.Equal(1, a);
            await again.StopAsync();
        }
    }

    [Fact]
    public async Task AddSop_InvalidOptions_FailTheHostStart_NamingTheOption()
    {
        using var host = Build(o => o.TransactionMaxTime = TimeSpan.Zero);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(nameof(SopEngineOptions.TransactionMaxTime), error.Message);
    }

    [Fact]
    public async Task GetEngine_BeforeStart_WaitsForIt()
    {
        using var folder = new TestFolder();
        using var host = Build(o => o.DataPath = folder.Path);
        var pending = host.Services.GetRequiredService<ISopEngineAccessor>().GetEngineAsync().AsTask();
        Assert.False(pending.IsCompleted);
        await host.StartAsync();
        var engine = await pending.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.NotNull(engine);
        await host.StopAsync();
    }
}
