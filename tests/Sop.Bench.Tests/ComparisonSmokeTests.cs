using Sop.Bench.Stores;

namespace Sop.Bench.Tests;

/// <summary>
/// The comparison harness at tiny sizes, so it never rots: it must finish, every store's workloads must pass their
/// own checks (counts, key order, values read back), and the table must have a row per store. No timing assertions.
/// </summary>
public sealed class ComparisonSmokeTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"sop-bench-tests-{Guid.NewGuid():N}");

    [Fact]
    public async Task Every_store_runs_every_workload_in_process_and_passes_its_checks()
    {
        var (exitCode, output, progress) = await RunAsync("--n", "300", "--m", "16", "--runs", "1", "--no-warmup", "--in-process",
            "--machine", "smoke", "--results", _folder, "--dir", _folder);

        Assert.True(exitCode == 0, $"exit code {exitCode}{Environment.NewLine}{output}{Environment.NewLine}{progress}");
        string markdown = await File.ReadAllTextAsync(ResultsFile());
        Assert.Equal(markdown.Trim(), ExtractTable(output).Trim());
        var rows = TableRows(markdown);
        foreach (var kind in StoreCatalog.Select(BenchArgs.Parse([], out _)!))
        {
            var row = Assert.Single(rows, r => r[0] == kind.Name);
            string? skipped = kind.Unavailable();
            if (skipped is not null)
            {
                // Only a store whose native library cannot load here may skip, and it must say why.
                Assert.Equal("skipped", row[^1]);
                Assert.Contains(skipped, markdown);
                continue;
            }
            Assert.Equal("ok", row[^1]);
            Assert.All(row[1..8], cell => Assert.Matches(@"^[0-9.]+[kM]?$", cell)); // a rate in every workload column
        }
        Assert.Single(rows, r => r[0].Contains("÷ best peer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_store_runs_in_its_own_child_process_and_reports_its_peak_working_set()
    {
        var (exitCode, output, progress) = await RunAsync("--n", "200", "--m", "8", "--runs", "1", "--no-warmup", "--stores", "sop,sqlite",
            "--machine", "smoke", "--results", _folder, "--dir", _folder);

        Assert.True(exitCode == 0, $"exit code {exitCode}{Environment.NewLine}{output}{Environment.NewLine}{progress}");
        var rows = TableRows(await File.ReadAllTextAsync(ResultsFile()));
        foreach (string store in new[] { "SopOrleans", "SQLite" })
        {
            var row = Assert.Single(rows, r => r[0] == store);
            Assert.Equal("ok", row[^1]);
            Assert.Matches(@"^\d+ MB \(\+\d+\)$", row[^2]);
        }
    }

    [Fact]
    public async Task Bad_arguments_exit_with_code_2()
    {
        var (exitCode, _, progress) = await RunAsync("--stores", "oracle");
        Assert.Equal(2, exitCode);
        Assert.Contains("unknown store 'oracle'", progress);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static async Task<(int ExitCode, string Output, string Progress)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var progress = new StringWriter();
        int exitCode = await BenchMain.RunAsync(args, TextWriter.Synchronized(output), TextWriter.Synchronized(progress));
        return (exitCode, output.ToString(), progress.ToString());
    }

    private string ResultsFile() => Assert.Single(Directory.GetFiles(_folder, "*-smoke.md"));

    /// <summary>The Markdown the run printed: everything before the "written to" line.</summary>
    private static string ExtractTable(string output) => output[..output.IndexOf("written to ", StringComparison.Ordinal)];

    /// <summary>The cells of every body row of the results table.</summary>
    private static List<string[]> TableRows(string markdown) =>
        markdown.Split('\n')
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| store ", StringComparison.Ordinal))
            .Select(line => line.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();
}
