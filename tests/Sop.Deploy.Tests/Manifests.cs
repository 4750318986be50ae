using YamlDotNet.RepresentationModel;

namespace Sop.Deploy.Tests;

/// <summary>Reads the deploy/ files of the repository (found from the test's output folder) as YAML documents.</summary>
public static class Manifests
{
    public static string DeployDirectory { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "deploy");
            if (File.Exists(Path.Combine(candidate, "docker-compose.yml"))) return candidate;
        }
        throw new DirectoryNotFoundException("deploy/ not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every YAML document of every file in deploy/k8s.</summary>
    public static IReadOnlyList<YamlMappingNode> Kubernetes() =>
        Directory.GetFiles(Path.Combine(DeployDirectory, "k8s"), "*.yaml").Order(StringComparer.Ordinal).SelectMany(Documents).ToList();

    public static YamlMappingNode Compose() => Documents(Path.Combine(DeployDirectory, "docker-compose.yml")).Single();

    public static IEnumerable<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode);
    }

    public static YamlMappingNode Find(string kind, string name) =>
        Kubernetes().Single(d => d.Str("kind") == kind && d.Map("metadata").Str("name") == name);

    public static YamlMappingNode Map(this YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    public static YamlSequenceNode Seq(this YamlMappingNode node, string key) => (YamlSequenceNode)node.Children[new YamlScalarNode(key)];

    public static string? Str(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    public static bool Has(this YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    /// <summary>Follows a dotted path of mapping keys.</summary>
    public static YamlMappingNode At(this YamlMappingNode node, string dotted) =>
        dotted.Split('.').Aggregate(node, (n, key) => n.Map(key));
}
