using System.Diagnostics;
using Sop.Bench.Stores;

namespace Sop.Bench.Comparison;

/// <summary>
/// Measures one store in a fresh process of this harness (<c>--child</c>), so its peak working set is its own and
/// no store inherits another's heap, JIT state or page cache pressure inside the process.
/// </summary>
internal static class ChildProcess
{
    public static async Task<StoreReport> RunAsync(IStoreKind kind, BenchArgs args, string folder, TimeSpan timeout, TextWriter progress)
    {
        Directory.CreateDirectory(folder);
        string report = Path.Combine(folder, "report.json");
        var start = StartInfo();
        foreach (string arg in args.ChildArguments(kind.Id, folder, report)) start.ArgumentList.Add(arg);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        // Progress and failures of the child go to this process's progress stream as they come.
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) progress.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) progress.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return Failed(kind, $"the child process ran longer than {timeout.TotalMinutes:F0} min and was killed");
        }
        await process.WaitForExitAsync(); // drains the redirected output
        if (!File.Exists(report)) return Failed(kind, $"the child process exited with code {process.ExitCode} and wrote no report");
        return StoreReport.FromJson(await File.ReadAllTextAsync(report));
    }

    /// <summary>
    /// This harness again: its own executable when it runs as one (the apphost), else <c>dotnet Sop.Bench.dll</c>
    /// (under <c>dotnet run</c> … it is the apphost; under a test host, the dll beside the test's).
    /// </summary>
    private static ProcessStartInfo StartInfo()
    {
        string dll = typeof(ChildProcess).Assembly.Location;
        string? self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == Path.GetFileNameWithoutExtension(dll))
            return new ProcessStartInfo(self);
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
            : "dotnet";
        var start = new ProcessStartInfo(dotnet);
        start.ArgumentList.Add(dll);
        return start;
    }

    private static StoreReport Failed(IStoreKind kind, string why) =>
        new(kind.Id, null, [], Error: why);
}
