using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sop.Grains.Abstractions;
using Sop.Grains.Abstractions.Data;
using Sop.Web.Hosting;

namespace Sop.Web.Data;

/// <summary>
/// The Stores, Items and Transactions sections of rest-api.md. Every item call is one transaction run by a
/// stateless-worker grain on the silo behind the gateway.
/// </summary>
internal static class DataEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var stores = app.MapGroup("/api/stores");
        stores.MapPost("", async (HttpRequest request, IGrainFactory g) =>
        {
            var (body, problem) = await ApiResults.ReadObjectAsync(request);
            if (problem is not null) return problem;
            var reply = await g.GetGrain<IStoreGrain>(0).Create(body!.ToJsonString());
            return reply.Failure is null ? ApiResults.Json(reply.Json!, StatusCodes.Status201Created) : ApiResults.Problem(reply.Failure);
        });
        stores.MapGet("", (IGrainFactory g) => ApiResults.ReplyAsync(g.GetGrain<IStoreGrain>(0).List()));
        stores.MapGet("/{store}", (string store, IGrainFactory g) => ApiResults.ReplyAsync(g.GetGrain<IStoreGrain>(0).Get(store)));
        stores.MapDelete("/{store}", async (string store, IGrainFactory g) =>
        {
            var reply = await g.GetGrain<IStoreGrain>(0).Delete(store);
            return reply.Failure is null ? Results.NoContent() : ApiResults.Problem(reply.Failure);
        });

        stores.MapGet("/{store}/items", (string store, HttpRequest request, IGrainFactory g) => ListItemsAsync(store, request, g));
        stores.MapGet("/{store}/items/{key}", async (string store, HttpContext context, IGrainFactory g) =>
        {
            if (KeyFromPath.Read(context) is not { } key) return ApiResults.Invalid("the key must be one percent-encoded path segment");
            var reply = await RunAsync(g, "forReading", Op("get", store, key));
            if (reply.Failure is not null) return ApiResults.Problem(reply.Failure);
            var result = FirstResult(reply);
            if (result?["found"]?.GetValue<bool>() != true) return ApiResults.NotFound($"key '{key}' does not exist in store '{store}'");
            return ApiResults.Json(new JsonObject { ["key"] = key, ["value"] = result["value"]?.DeepClone() }.ToJsonString());
        });
        stores.MapPut("/{store}/items/{key}", async (string store, HttpContext context, IGrainFactory g) =>
        {
            if (KeyFromPath.Read(context) is not { } key) return ApiResults.Invalid("the key must be one percent-encoded path segment");
            var (value, problem) = await ApiResults.ReadJsonAsync(context.Request);
            if (problem is not null) return problem;
            var op = Op("upsert", store, key);
            op["value"] = value?.DeepClone();
            var reply = await RunAsync(g, "forWriting", op);
            return reply.Failure is not null
                ? ApiResults.Problem(reply.Failure)
                : ApiResults.Json(new JsonObject { ["key"] = key, ["value"] = value?.DeepClone() }.ToJsonString());
        });
        stores.MapDelete("/{store}/items/{key}", async (string store, HttpContext context, IGrainFactory g) =>
        {
            if (KeyFromPath.Read(context) is not { } key) return ApiResults.Invalid("the key must be one percent-encoded path segment");
            var reply = await RunAsync(g, "forWriting", Op("remove", store, key));
            if (reply.Failure is { Kind: ApiFailureKind.Unprocessable }) return ApiResults.NotFound($"key '{key}' does not exist in store '{store}'");
            return reply.Failure is not null ? ApiResults.Problem(reply.Failure) : Results.NoContent();
        });

        app.MapPost("/api/transactions", async (HttpRequest request, IGrainFactory g) =>
        {
            var (body, problem) = await ApiResults.ReadObjectAsync(request);
            if (problem is not null) return problem;
            return await ApiResults.ReplyAsync(g.GetGrain<ITransactionGrain>(0).Run(body!.ToJsonString()));
        });
    }

    /// <summary>GET .../items: one page of a range, as a <c>range</c> operation of a read transaction.</summary>
    private static async Task<IResult> ListItemsAsync(string store, HttpRequest request, IGrainFactory g)
    {
        var op = Op("range", store, null);
        var q = request.Query;
        if (q.TryGetValue("from", out var from)) op["from"] = from.ToString();
        if (q.TryGetValue("to", out var to)) op["to"] = to.ToString();
        if (q.TryGetValue("after", out var after)) op["after"] = after.ToString();
        if (q.TryGetValue("limit", out var limitText))
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out int limit) || limit is < 1 or > 10_000)
                return ApiResults.Invalid($"'limit' must be an integer within 1..10000 (was '{limitText}')");
            op["limit"] = limit;
        }
        foreach (string flag in new[] { "keysOnly", "desc" })
        {
            if (!q.TryGetValue(flag, out var text)) continue;
            if (!bool.TryParse(text, out bool on)) return ApiResults.Invalid($"'{flag}' must be true or false (was '{text}')");
            op[flag] = on;
        }
        var reply = await RunAsync(g, "forReading", op);
        return reply.Failure is not null ? ApiResults.Problem(reply.Failure) : ApiResults.Json(FirstResult(reply)!.ToJsonString());
    }

    private static JsonObject Op(string op, string store, string? key)
    {
        var o = new JsonObject { ["op"] = op, ["store"] = store };
        if (key is not null) o["key"] = key;
        return o;
    }

    private static Task<ApiReply> RunAsync(IGrainFactory g, string mode, JsonObject op) =>
        g.GetGrain<ITransactionGrain>(0).Run(new JsonObject { ["mode"] = mode, ["operations"] = new JsonArray(op) }.ToJsonString());

    private static JsonNode? FirstResult(ApiReply reply) => JsonNode.Parse(reply.Json!)!["results"]![0];
}
