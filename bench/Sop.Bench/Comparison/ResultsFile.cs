namespace Sop.Bench.Comparison;

/// <summary>Where the comparison's Markdown goes: <c>bench/results/&lt;yyyy-MM-dd&gt;-&lt;machine&gt;.md</c> of this repository.</summary>
internal static class ResultsFile
{
    /// <summary>Writes the file (replacing one of the same day and machine) and returns its path.</summary>
    public static string Write(BenchArgs args, DateTime started, string markdown)
    {
        string folder = args.Results ?? DefaultFolder();
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"{started:yyyy-MM-dd}-{MachineName(args)}.md");
        File.WriteAllText(path, markdown);
        return Path.GetFullPath(path);
    }

    /// <summary>The host name (or <c>--machine</c>), reduced to characters safe in a file name.</summary>
    public static string MachineName(BenchArgs args)
    {
        string name = args.Machine ?? Environment.MachineName;
        return new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
    }

    /// <summary>bench/results of the repository around the working folder (found by SopOrleans.sln), else ./bench/results.</summary>
    private static string DefaultFolder()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SopOrleans.sln"))) return Path.Combine(dir.FullName, "bench", "results");
        }
        return Path.Combine("bench", "results");
    }
}
