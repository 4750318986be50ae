using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sop.Compute.Running;

/// <summary>
/// <c>{{args.x}}</c> and <c>{{vars.y}}</c> placeholders in the string fields of data, ask and call steps (dotted paths
/// reach into objects). A string that is exactly one placeholder takes the referenced JSON value itself (so a number
/// stays a number); inside a longer string the value is spliced in as text (strings without quotes). A missing
/// reference is null / the empty string.
/// </summary>
internal static partial class Templates
{
    [GeneratedRegex(@"\{\{\s*(args|vars)((?:\.[A-Za-z0-9_$-]+)+)\s*\}\}")]
    private static partial Regex Placeholder();

    public static string? Text(string? template, JsonObject args, JsonObject vars) =>
        template is null ? null : Placeholder().Replace(template, m => AsText(Resolve(m, args, vars)));

    /// <summary>Replaces placeholders in every string inside a JSON value (a copy; the step definition stays as is).</summary>
    public static JsonNode? Value(JsonNode? template, JsonObject args, JsonObject vars)
    {
        switch (template)
        {
            case null:
                return null;
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (name, child) in o) copy[name] = Value(child, args, vars);
                return copy;
            case JsonArray a:
                var list = new JsonArray();
                foreach (var child in a) list.Add(Value(child, args, vars));
                return list;
            case JsonValue v when v.TryGetValue(out string? s):
                var whole = Placeholder().Match(s);
                if (whole.Success && whole.Length == s.Length) return Resolve(whole, args, vars)?.DeepClone();
                return JsonValue.Create(Text(s, args, vars));
            default:
                return template.DeepClone();
        }
    }

    private static JsonNode? Resolve(Match m, JsonObject args, JsonObject vars)
    {
        JsonNode? node = m.Groups[1].Value == "args" ? args : vars;
        foreach (string part in m.Groups[2].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        return node;
    }

    private static string AsText(JsonNode? node) =>
        node switch
        {
            null => "",
            JsonValue v when v.TryGetValue(out string? s) => s,
            _ => node.ToJsonString(),
        };
}
