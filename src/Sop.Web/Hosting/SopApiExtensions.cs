using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scalar.AspNetCore;
using Sop.Web.Compute;
using Sop.Web.Data;

namespace Sop.Web.Hosting;

/// <summary>The HTTP API v1 for any ASP.NET Core host that has an Orleans client or silo (the standalone silo, the web frontend).</summary>
public static class SopApiExtensions
{
    /// <summary>Registers problem details and <see cref="SopApiOptions"/> (bound from the <c>Sop</c> section).</summary>
    public static IServiceCollection AddSopApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails();
        services.AddOpenApi(); // GET /openapi/v1.json
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false); // 400, not 500, in Development too
        services.AddOptions<SopApiOptions>().Bind(configuration.GetSection("Sop"))
            .Validate(o => o.MaxRequestBytes > 0, "Sop:MaxRequestBytes must be positive");
        return services;
    }

    /// <summary>
    /// Maps <c>/health</c>, the OpenAPI document (<c>/openapi/v1.json</c>), its Scalar UI (<c>/docs</c>) and every
    /// <c>/api/*</c> endpoint of rest-api.md, behind problem-details error handling
    /// (no stack trace ever), the request size limit, the API key check and the 503 mapping of unreachable silos.
    /// </summary>
    public static WebApplication MapSopApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestLimitMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<GrainFailureMiddleware>();
        DataManagerUi.Map(app);
        app.MapOpenApi();
        app.MapScalarApiReference("/docs"); // decisions.md 29; open without the API key (decisions.md 26)
        HealthEndpoint.Map(app);
        DataEndpoints.Map(app);
        ComputeEndpoints.Map(app);
        return app;
    }
}
