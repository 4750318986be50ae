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
}
