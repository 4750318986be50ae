using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Sop.Hosting;

/// <summary>Registers the engine with a generic host.</summary>
public static class SopServiceCollectionExtensions
{
    /// <summary>
    /// Adds the process's engine: <see cref="SopEngineOptions"/> (validated at start), a hosted service that opens and
    /// closes the engine, and <see cref="ISopEngineAccessor"/> to reach it. Clustered mode is configuration only, e.g.
    /// <c>services.AddSop(o => o.UseRedis("127.0.0.1:6379"))</c> with Sop.Redis.
    /// </summary>
    public static IServiceCollection AddSop(this IServiceCollection services, Action<SopEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<SopEngineOptions>();
        if (configure is not null) builder.Configure(configure);
        builder.ValidateOnStart();
        services.AddSingleton<IValidateOptions<SopEngineOptions>, SopEngineOptionsValidator>();
        services.AddSingleton<SopEngineHost>();
        services.AddSingleton<ISopEngineAccessor>(sp => sp.GetRequiredService<SopEngineHost>());
        services.AddHostedService(sp => sp.GetRequiredService<SopEngineHost>());
        return services;
    }
}
