using Microsoft.Extensions.DependencyInjection;
using Sop.Compute.Hosting;
using Sop.Compute.Llm;
using Sop.Compute.Running;

namespace Sop.Grains.Compute;

/// <summary>Registers the compute swarm on a silo: macros, tasks, the LLM client and the silo's own agent.</summary>
public static class ComputeServiceCollectionExtensions
{
    /// <summary>
    /// Adds <c>AddSopCompute</c> (options, LLM) and the silo agent that heartbeats into the agent directory and resumes
    /// unfinished tasks. Needs <c>services.AddSop(...)</c> for the engine.
    /// </summary>
    public static IServiceCollection AddSopComputeSilo(this IServiceCollection services, Action<ComputeOptions>? configure = null, Action<SopLlmOptions>? llm = null)
    {
        services.AddSopCompute(configure, llm);
        services.AddHostedService<SiloAgentService>();
        return services;
    }
}
