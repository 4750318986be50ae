using Sop.Cli;
using Spectre.Console.Testing;

namespace Sop.Web.Tests;

/// <summary>The sop CLI driven in-process against the real API of a standalone silo.</summary>
public sealed class CliEndToEndTests(SiloApp app) : IClassFixture<SiloApp>
{
    private async Task<(int Code, string Out, string Err, string Console)> SopAsync(params string[] args)
    {
        var client = await app.ClientAsync();
        var console = new TestConsole();
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await SopCli.RunAsync(args, console, output, error, (_, _) => client);
        return (code, output.ToString(), error.ToString(), console.Output);
    }

    [Fact]
    public async Task StoresItemsMacrosAndTasks_ThroughTheCli()
    {
        Assert.Equal(0, (await SopAsync("stores", "create", "cli", "--slot-length", "16")).Code);
        Assert.Equal(0, (await SopAsync("put", "cli", "a/b", """{"n":1}""")).Code);
        Assert.Contains("\"n\": 1", (await SopAsync("get", "cli", "a/b")).Out);
        Assert.Contains("cli", (await SopAsync("stores", "list")).Console);
        var missing = await SopAsync("get", "cli", "nope");
        Assert.Equal(1, missing.Code);
        Assert.Contains("404", missing.Err);

        string macro = Path.Combine(Path.GetTempPath(), $"cli-macro-{Guid.NewGuid():N}.json");
        string inputs = Path.Combine(Path.GetTempPath(), $"cli-inputs-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllText(macro, """{"parameters":[{"name":"i","type":"number","required":true}],"steps":[{"kind":"put","store":"cli","key":"t{{args.i}}","value":"{{args.i}}"}]}""");
            File.WriteAllText(inputs, string.Join('\n', Enumerable.Range(0, 20).Select(i => $"{{\"i\":{i}}}")));
            Assert.Equal(0, (await SopAsync("macro", "put", "cli-put", "-f", macro)).Code);
            Assert.Equal(0, (await SopAsync("macro", "run", "cli-put", "--args", """{"i":99}""")).Code);
            var task = await SopAsync("task", "submit", "--macro", "cli-put", "--inputs", inputs);
            Assert.True(task.Code == 0, task.Err);
            Assert.Contains("\"status\": \"completed\"", task.Out);
        }
        finally
        {
            File.Delete(macro);
            File.Delete(inputs);
        }
        var scan = await SopAsync("scan", "cli", "--from", "t", "--to", "u", "--keys-only", "--all", "--limit", "7");
        Assert.Equal(21, scan.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
