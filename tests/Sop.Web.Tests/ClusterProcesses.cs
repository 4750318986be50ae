using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sop.Web.Tests;

/// <summary>
/// Starts the built silo and web-frontend programs as real OS processes (the multi-process tests), configured only
/// through the environment variables a deployment sets, and kills them at the end.
/// </summary>
public sealed class ClusterProcesses : IDisposable
{
    private readonly List<Process> _processes = [];

    public static int FreePort() => Sop.Tests.Support.FreePorts.Next();

    /// <summary>The built dll of a program beside this test project (tests/X/bin/cfg/tfm → dir/Name/bin/cfg/tfm).</summary>
    public static string ProgramPath(string folder, string name)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        string config = here.Parent!.Name, tfm = here.Name;
        string path = Path.GetFullPath(Path.Combine(here.FullName, "..", "..", "..", "..", "..", folder, name, "bin", config, tfm, name + ".dll"));
        Assert.True(File.Exists(path), $"{name} is not built at {path}");
        return path;
    }

    public Process Start(string dll, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.Environment["DOTNET_gcServer"] = "0"; // several silos on 2 cores
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var p in _processes)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
    }
}
