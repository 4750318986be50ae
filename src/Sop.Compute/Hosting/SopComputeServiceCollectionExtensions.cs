using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sop.Compute.Llm;
using Sop.Compute.Running;

namespace Sop.Compute.Hosting;

/// <summary>Registers the compute swarm with a generic host (next to <c>services.AddSop(...)</c>).</summary>
public static class SopComputeServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ISopComputeAccessor"/> with its options, and the LLM client built from <see cref="SopLlmOptions"/>
    /// (none when not configured). An <see cref="IChatClient"/> registered before this call wins (tests pass a fake).
    /// </summary>
    public static IServiceCollection AddSopCompute(this IServiceCollection services, Action<ComputeOptions>? configure = null, Action<SopLlmOptions>? llm = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var compute = services.AddOptions<ComputeOptions>();
        if (configure is not null) compute.Configure(configure);
        var llmOptions = services.AddOptions<SopLlmOptions>();
        if (llm is not null) llmOptions.Configure(llm);
        llmOptions.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SopLlmOptions>, SopLlmOptionsValidator>());
        services.TryAddSingleton(sp => ChatClients.Create(sp.GetRequiredService<IOptions<SopLlmOptions>>().Value)!);
        services.TryAddSingleton<ISopComputeAccessor>(sp => new SopComputeAccessor(
            sp.GetRequiredService<Sop.Hosting.ISopEngineAccessor>(), sp.GetRequiredService<IOptions<ComputeOptions>>(), sp.GetService<IChatClient>()));
        return services;
    }
}
