using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Json;

namespace Sop.Compute.Running;

/// <summary>Moves JSON between .NET and a script engine by value (JSON text), so no host object ever reaches a script.</summary>
internal static class JsBridge
{
    public static JsValue ToJs(Engine engine, JsonNode? node) =>
        node is null ? JsValue.Null : new JsonParser(engine).Parse(node.ToJsonString());

    public static JsonNode? FromJs(Engine engine, JsValue value)
    {
        if (value.IsUndefined() || value.IsNull()) return null;
        var text = new JsonSerializer(engine).Serialize(value);
        return text.IsUndefined() ? null : JsonNode.Parse(text.AsString());
    }

    public static string? OptionalString(JsValue value, string name) =>
        value.IsUndefined() || value.IsNull() ? null : value.IsString() ? value.AsString() : throw new Sop.Errors.InvalidArgumentException($"{name} must be a string");

    public static string RequiredString(JsValue value, string name) =>
        OptionalString(value, name) ?? throw new Sop.Errors.InvalidArgumentException($"{name} is required");
}
