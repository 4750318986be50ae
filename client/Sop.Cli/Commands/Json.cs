using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sop.Cli.Commands;

/// <summary>JSON in and out of the terminal: values given on the command line or in files, results printed indented.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonNode? Parse(string text, string what)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what} is not valid JSON: {e.Message}", e);
        }
    }

    public static JsonNode? ReadFile(string path, string what)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{what} file '{path}' does not exist");
        return Parse(File.ReadAllText(path), what);
    }

    public static Task WriteAsync(TextWriter output, JsonNode? node) => output.WriteLineAsync(node?.ToJsonString(Indented) ?? "null");
}
