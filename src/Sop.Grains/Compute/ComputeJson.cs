using System.Text.Json;
using System.Text.Json.Nodes;
using Sop.Compute.Macros;
using Sop.Compute.Tasks;

namespace Sop.Grains.Compute;

/// <summary>The contract's JSON shapes of macros and tasks (rest-api.md).</summary>
internal static class ComputeJson
{
    public static string Macro(MacroDefinition macro) => JsonSerializer.Serialize(macro, MacroJson.Options);

    /// <summary>The list form: name, description, parameters.</summary>
    public static JsonObject Summary(MacroDefinition macro) => new()
    {
        ["name"] = macro.Name,
        ["description"] = macro.Description,
        ["parameters"] = JsonSerializer.SerializeToNode(macro.Parameters, MacroJson.Options),
    };

    public static JsonObject Task(TaskView view, bool withDetails)
    {
        var json = new JsonObject
        {
            ["id"] = view.Id,
            ["status"] = view.Status.ToString().ToLowerInvariant(),
            ["total"] = view.Total,
            ["completed"] = view.Completed,
            ["failed"] = view.Failed,
            ["macro"] = view.Macro,
            ["goal"] = view.Goal,
            ["created"] = view.Created,
        };
        if (withDetails)
        {
            json["results"] = new JsonArray(view.Results.Select(r => (JsonNode)new JsonObject { ["index"] = r.Index, ["result"] = r.Result?.DeepClone(), ["agent"] = r.Agent }).ToArray());
            json["errors"] = new JsonArray(view.Errors.Select(e => (JsonNode)new JsonObject { ["index"] = e.Index, ["error"] = e.Error, ["agent"] = e.Agent }).ToArray());
        }
        return json;
    }
}
