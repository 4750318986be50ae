using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sop.Compute.Macros;

/// <summary>
/// The JSON form of macros (the HTTP contract's): camelCase names, enums as camelCase strings only (an integer enum
/// value is an error, decisions.md 21), unknown fields ignored, nesting bounded like the API's.
/// </summary>
public static class MacroJson
{
    /// <summary>Serializer options for macros and their parts.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            MaxDepth = 64,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            RespectRequiredConstructorParameters = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
