using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sop.Compute.Hosting;
using Sop.Compute.Llm;
using Sop.Hosting;
using Sop.Storage;

namespace Sop.Compute.Tests;

/// <summary><c>AddSopCompute</c> in a generic host, with and without an LLM.</summary>
public sealed class ComputeHostingTests
{
    private static IHost Build(Action<SopLlmOptions>? llm = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSop(o =>
        {
            o.DataPath = "/db";
            o.FileSystem = new InMemoryFileSystem();
        });
        builder.Services.AddSopCompute(llm: llm);
        return builder.Build();
    }

    [Fact]
    public async Task WithoutAnLlm_TheSwarmRuns_AndHasNoChatClient()
    {
        using var host = Build();
        await host.StartAsync();
        Assert.Null(host.Services.GetService<IChatClient>());
        var compute = await host.Services.GetRequiredService<ISopComputeAccessor>().GetComputeAsync();
        await compute.Macros.PutAsync(Support.ComputeFixture.Macro("""{"name":"one","steps":[{"kind":"script","code":"return 1;"}]}"""));
        Assert.Equal("1", (await compute.Runner.RunAsync("one", null)).Result!.ToJsonString());
        Assert.Same(compute, await host.Services.GetRequiredService<ISopComputeAccessor>().GetComputeAsync());
        await host.StopAsync();
    }

    [Fact]
    public async Task WithAnOpenAiCompatibleEndpoint_AChatClientIsBuilt()
    {
        using var host = Build(l =>
        {
            l.Endpoint = "http://127.0.0.1:9/v1";
            l.Model = "test-model";
        });
        await host.StartAsync();
        Assert.NotNull(host.Services.GetService<IChatClient>());
        await host.StopAsync();
    }

    [Fact]
    public async Task AnLlmEndpointThatIsNotAUrl_FailsTheStart()
    {
        using var host = Build(l =>
        {
            l.Endpoint = "not a url";
            l.Model = "m";
        });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(nameof(SopLlmOptions.Endpoint), error.Message);
    }
}
