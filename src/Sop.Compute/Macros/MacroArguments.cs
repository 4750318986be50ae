using System.Text.Json;
using System.Text.Json.Nodes;
using Sop.Compute.Errors;

namespace Sop.Compute.Macros;

/// <summary>Checks a run's arguments against the macro's parameters (HTTP 400 when they do not fit).</summary>
public static class MacroArguments
{
    /// <summary>Throws <see cref="InvalidMacroArgumentsException"/> naming the first argument that does not fit.</summary>
    public static void Check(MacroDefinition macro, JsonObject args)
    {
        foreach (var p in macro.Parameters)
        {
            if (!args.TryGetPropertyValue(p.Name, out var value))
            {
                if (p.Required) throw new InvalidMacroArgumentsException($"macro '{macro.Name}' needs argument '{p.Name}' ({Name(p.Type)})");
                continue;
            }
            if (!Fits(value, p.Type))
                throw new InvalidMacroArgumentsException($"argument '{p.Name}' of macro '{macro.Name}' must be a {Name(p.Type)}");
        }
    }

    private static bool Fits(JsonNode? value, ParameterType type) =>
        (value?.GetValueKind() ?? JsonValueKind.Null, type) switch
        {
            (JsonValueKind.String, ParameterType.String) => true,
            (JsonValueKind.Number, ParameterType.Number) => true,
            (JsonValueKind.True or JsonValueKind.False, ParameterType.Boolean) => true,
            (JsonValueKind.Object, ParameterType.Object) => true,
            (JsonValueKind.Array, ParameterType.Array) => true,
            _ => false,
        };

    private static string Name(ParameterType type) => type.ToString().ToLowerInvariant();
}
