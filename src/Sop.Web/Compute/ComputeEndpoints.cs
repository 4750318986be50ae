using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sop.Grains.Abstractions.Compute;
using Sop.Web.Hosting;

namespace Sop.Web.Compute;

/// <summary>
/// The Macros, Tasks and Agents sections of rest-api.md: every call goes to a stateless-worker grain on the silo
/// behind the gateway; failures come back typed and become problem details.
/// </summary>
internal static class ComputeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var macros = app.MapGroup("/api/macros");
        macros.MapGet("", (IGrainFactory g) => ApiResults.ReplyAsync(g.GetGrain<IMacroGrain>(0).List()));
        macros.MapGet("/{name}", (string name, IGrainFactory g) => ApiResults.ReplyAsync(g.GetGrain<IMacroGrain>(0).Get(name)));
        macros.MapPut("/{name}", async (string name, HttpRequest request, IGrainFactory g) =>
        {
            var (body, problem) = await ApiResults.ReadObjectAsync(request);
            if (problem is not null) return problem;
            var reply = await g.GetGrain<IMacroGrain>(0).Put(name, body!.ToJsonString());
            return reply.Failure is null
                ? ApiResults.Json(reply.Json!, reply.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK)
                : ApiResults.Problem(reply.Failure);
        });
        macros.MapDelete("/{name}", async (string name, IGrainFactory g) =>
        {
            var reply = await g.GetGrain<IMacroGrain>(0).Delete(name);
            return reply.Failure is null ? Results.NoContent() : ApiResults.Problem(reply.Failure);
        });
        macros.MapPost("/{name}/run", async (string name, HttpRequest request, IGrainFactory g) =>
        {
            var (body, problem) = await ApiResults.ReadObjectAsync(request, allowEmpty: true);
            if (problem is not null) return problem;
            var args = body?["args"];
            if (args is not null and not JsonObject) return ApiResults.Invalid("'args' must be a JSON object");
            return await ApiResults.ReplyAsync(g.GetGrain<IMacroGrain>(0).Run(name, (args ?? new JsonObject()).ToJsonString()));
        });

        var tasks = app.MapGroup("/api/tasks");
        tasks.MapPost("", async (HttpRequest request, IGrainFactory g) =>
        {
            var (body, problem) = await ApiResults.ReadObjectAsync(request);
            if (problem is not null) return problem;
            return await ApiResults.ReplyAsync(g.GetGrain<ITaskGrain>(0).Submit(body!.ToJsonString()), StatusCodes.Status202Accepted);
        });
        tasks.MapGet("", (IGrainFactory g) => ApiResults.ReplyAsync(g.GetGrain<ITaskGrain>(0).List()));
        tasks.MapGet("/{id}", (string id, IGrainFactory g) => ApiResults.ReplyAsync(g.GetGrain<ITaskGrain>(0).Get(id)));
        tasks.MapDelete("/{id}", (string id, IGrainFactory g) => ApiResults.ReplyAsync(g.GetGrain<ITaskGrain>(0).Cancel(id), StatusCodes.Status202Accepted));

        app.MapGet("/api/agents", (IGrainFactory g) => ApiResults.ReplyAsync(g.GetGrain<IAgentDirectoryGrain>(0).List()));
    }
}
