using System.Diagnostics;

namespace Sop.Tests.Support;

/// <summary>Finds the Sop.Core.ProcessHelper console (built beside this test project) to run as a second OS process.</summary>
public static class ProcessHelper
{
    public static string Path()
    {
        // tests/Sop.Core.Tests/bin/<config>/<tfm>/ → tests/Sop.Core.ProcessHelper/bin/<config>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        string config = here.Parent!.Name, tfm = here.Name;
        string path = System.IO.Path.GetFullPath(System.IO.Path.Combine(here.FullName, "..", "..", "..", "..", "Sop.Core.ProcessHelper", "bin", config, tfm, "Sop.Core.ProcessHelper.dll"));
        Assert.True(File.Exists(path), $"process helper not built at {path}");
        return path;
    }

    /// <summary>Waits (bounded) for every helper to exit 0 with <paramref name="expected"/> in its output; kills stragglers.</summary>
    public static async Task ExpectAllSucceedAsync(IReadOnlyList<Process> processes, string expected)
    {
        try
        {
            foreach (var p in processes)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
                await p.WaitForExitAsync(timeout.Token);
                string output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
                Assert.True(p.ExitCode == 0, $"helper exited {p.ExitCode}: {output}");
                Assert.Contains(expected, output);
            }
        }
        finally
        {
            foreach (var p in processes.Where(p => !p.HasExited)) p.Kill(entireProcessTree: true);
        }
    }
}
