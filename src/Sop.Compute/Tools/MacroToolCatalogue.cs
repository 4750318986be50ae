using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Sop.Compute.Macros;
using Sop.Compute.Running;

namespace Sop.Compute.Tools;

/// <summary>
/// The macros as tools, discovered at run time: read from the database on each call, so a macro added while the
/// cluster runs is every agent's tool on its next task, without a restart.
/// </summary>
public sealed class MacroToolCatalogue
{
    private readonly MacroRepository _macros;
    private readonly MacroRunner _runner;

    internal MacroToolCatalogue(MacroRepository macros, MacroRunner runner)
    {
        _macros = macros;
        _runner = runner;
    }

    /// <summary>The current macros as tool descriptions (name, description, parameters).</summary>
    public async Task<IReadOnlyList<MacroDefinition>> DescribeAsync(CancellationToken cancellationToken = default) =>
        await _macros.ListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The current macros as LLM functions (calling one runs the macro).</summary>
    public async Task<IReadOnlyList<AIFunction>> AsFunctionsAsync(CancellationToken cancellationToken = default) =>
        (await _macros.ListAsync(cancellationToken).ConfigureAwait(false)).Select(m => (AIFunction)new MacroFunction(m, _runner)).ToList();

    /// <summary>The JSON schema of a macro's parameters, as LLM tools declare them.</summary>
    public static JsonElement SchemaOf(MacroDefinition macro)
    {
        var properties = new JsonObject();
        foreach (var p in macro.Parameters)
        {
            var property = new JsonObject { ["type"] = p.Type.ToString().ToLowerInvariant() };
            if (p.Description is not null) property["description"] = p.Description;
            properties[p.Name] = property;
        }
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray(macro.Parameters.Where(p => p.Required).Select(p => (JsonNode)JsonValue.Create(p.Name)!).ToArray()),
        };
        return JsonSerializer.SerializeToElement(schema);
    }

    private sealed class MacroFunction(MacroDefinition macro, MacroRunner runner) : AIFunction
    {
        private readonly JsonElement _schema = SchemaOf(macro);

        public override string Name => macro.Name;

        public override string Description => macro.Description ?? "";

        public override JsonElement JsonSchema => _schema;

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            var args = JsonSerializer.SerializeToNode(arguments.ToDictionary(a => a.Key, a => a.Value)) as JsonObject ?? [];
            var run = await runner.RunAsync(macro.Name, args, cancellationToken).ConfigureAwait(false);
            return run.Result;
        }
    }
}
