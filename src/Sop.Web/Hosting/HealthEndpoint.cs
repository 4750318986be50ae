using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sop.Grains.Abstractions.Data;

namespace Sop.Web.Hosting;

/// <summary><c>GET /health</c>: 200 <c>{"status":"healthy"}</c> once a grain call succeeds (decisions.md 18), 503 before.</summary>
internal static class HealthEndpoint
{
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(5);

    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/health", async (IGrainFactory g) =>
    {
        try
        {
            var reply = await g.GetGrain<IStoreGrain>(0).List().WaitAsync(Probe);
            if (reply.Failure is null) return ApiResults.Json(new JsonObject { ["status"] = "healthy" }.ToJsonString());
            return Unhealthy(reply.Failure.Detail);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
        {
            return Unhealthy(e.Message);
        }
    });

    private static IResult Unhealthy(string reason) =>
        ApiResults.Json(new JsonObject { ["status"] = "unhealthy", ["detail"] = reason }.ToJsonString(), StatusCodes.Status503ServiceUnavailable);
}
